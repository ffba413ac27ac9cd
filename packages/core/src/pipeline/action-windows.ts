/** CodePipeline fails a Lambda invoke action whose job gets no reply for this long. */
export const CODEPIPELINE_REPLY_WINDOW_MS = 20 * 60_000;

/** CodePipeline fails a Lambda invoke action that runs longer than this. */
export const CODEPIPELINE_ACTION_LIMIT_MS = 24 * 60 * 60_000;
