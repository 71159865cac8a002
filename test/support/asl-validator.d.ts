// asl-validator 4 ships no types: the part the tests use.
declare module 'asl-validator' {
  function validator(definition: unknown): { isValid: boolean; errors: { message?: string }[] };
  export default validator;
}
