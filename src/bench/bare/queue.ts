/** The bare baseline's own task queue (the engine's is TASK_QUEUE, aid-cases by default). */
export const BARE_TASK_QUEUE = 'bench-bare';
