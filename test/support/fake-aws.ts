import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call a function made to SQS or Step Functions. */
export interface AwsCall {
  /** The operation, e.g. `AmazonSQS.SendMessage`, `AWSStepFunctions.StartExecution`. */
  target: string;
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are inspected by the tests
  input: any;
}

type Answer = { status?: number; body: unknown };

/**
 * SQS and Step Functions as a bundled function reaches them over HTTP (their JSON protocols), on a
 * loopback port: it records every call and answers the way AWS does; tests set the answers they need.
 */
export class FakeAws {
  readonly calls: AwsCall[] = [];
  /** Execution names whose DescribeExecution says so; any other execution is RUNNING. */
  readonly executionStatus = new Map<string, string>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      request.on('end', () => {
        const target = String(request.headers['x-amz-target'] ?? '');
        const input = body ? JSON.parse(body) : {};
        this.calls.push({ target, input });
        const answer = this.answer(target, input);
        response.writeHead(answer.status ?? 200, { 'Content-Type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The inputs of every call of one operation, in order. */
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are inspected by the tests
  inputsOf(operation: string): any[] {
    return this.calls.filter((c) => c.target.endsWith(`.${operation}`)).map((c) => c.input);
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  // biome-ignore lint/suspicious/noExplicitAny: request bodies are inspected by the tests
  private answer(target: string, input: any): Answer {
    const operation = target.split('.')[1];
    switch (operation) {
      case 'SendMessage':
        return {
          body: {
            MessageId: `m-${this.calls.length}`,
            MD5OfMessageBody: createHash('md5').update(input.MessageBody).digest('hex'),
          },
        };
      case 'StartExecution':
        return {
          body: {
            executionArn: `${input.stateMachineArn.replace(':stateMachine:', ':execution:')}:${input.name}`,
            startDate: Date.now() / 1000,
          },
        };
      case 'SendTaskSuccess':
        return { body: {} };
      case 'ListExecutions':
        return { body: { executions: [] } };
      case 'DescribeExecution': {
        const name = String(input.executionArn).split(':').at(-1)!;
        const status = this.executionStatus.get(name) ?? 'RUNNING';
        if (status === 'MISSING') {
          return { status: 400, body: { __type: 'ExecutionDoesNotExist', message: `no ${name}` } };
        }
        return {
          body: {
            executionArn: input.executionArn,
            stateMachineArn: 'arn',
            status,
            startDate: Date.now() / 1000,
          },
        };
      }
      default:
        return { status: 400, body: { __type: 'UnknownOperationException', message: target } };
    }
  }
}
