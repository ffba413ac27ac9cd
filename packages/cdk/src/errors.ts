/**
 * Thrown at synth when an action's `userParameters` fail the job's schema:
 * the message names each bad field, so `cdk synth` stops before the pipeline
 * would fail with a `ConfigurationError`.
 */
export class UserParametersError extends Error {
  public override readonly name = 'UserParametersError';
}

/** Thrown at synth for construct properties that cannot work together. */
export class BatonConstructError extends Error {
  public override readonly name = 'BatonConstructError';
}
