import type { FieldError } from '../domain/filing';

/**
 * The errors application code raises on purpose. The HTTP layer maps each to one problem
 * document (see shared/http/problem.ts); anything else is a bug and becomes a 500.
 */
export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(
    readonly errors: FieldError[],
    message = 'the request has invalid fields',
  ) {
    super(message);
  }
}

/** A conditional write lost a race: somebody changed the case after it was read. */
export class CaseConflictError extends Error {
  override name = 'CaseConflictError';
  constructor(readonly caseId: string) {
    super(`case ${caseId} was changed by someone else at the same time; read it again and retry`);
  }
}

/** A common problem was changed by someone else since it was read (or its id is taken). */
export class CommonProblemConflictError extends Error {
  override name = 'CommonProblemConflictError';
  constructor(readonly groupId: string) {
    super(`common problem ${groupId} was changed by someone else at the same time; read it again and retry`);
  }
}

/** The action is not allowed in the case's current state (accepting a closed case, resolving before accepting…). */
export class InvalidTransitionError extends Error {
  override name = 'InvalidTransitionError';
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** An Idempotency-Key was sent again with a different body. */
export class IdempotencyKeyReuseError extends Error {
  override name = 'IdempotencyKeyReuseError';
  constructor() {
    super('this Idempotency-Key was already used for a different request body; use a new key for a new case');
  }
}

/**
 * The same filing came again, the same day, without an Idempotency-Key: it is not filed twice,
 * and its tracking link is not handed to whoever sent the same body.
 */
export class DuplicateFilingError extends Error {
  override name = 'DuplicateFilingError';
  constructor() {
    super(
      'the same problem was filed today already; follow it by the tracking link given then (send an Idempotency-Key to make retries safe)',
    );
  }
}

export class UnauthenticatedError extends Error {
  override name = 'UnauthenticatedError';
}

export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
}

/** An abuse limit was reached: the client may try again after `retryAfterSeconds`. */
export class TooManyRequestsError extends Error {
  override name = 'TooManyRequestsError';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many requests from this client; try again in ${retryAfterSeconds} seconds`);
  }
}

/** The key typed at sign-in is unknown, revoked, or for another workbench. */
export class SignInRefusedError extends Error {
  override name = 'SignInRefusedError';
  constructor(readonly reason: 'unknown' | 'wrong_role') {
    super(
      reason === 'unknown' ? 'the key is unknown or has been revoked' : 'the key is for another workbench',
    );
  }
}
