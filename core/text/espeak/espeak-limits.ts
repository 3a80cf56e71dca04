// What espeak-ng's output and settings are, for code that only needs the numbers: the main
// thread knows them without loading the WebAssembly build, which runs in the espeak worker.

export const ESPEAK_SAMPLE_RATE = 22050;

/** espeak's own limits for the speaking rate, in words per minute. */
export const ESPEAK_RATE = { min: 80, normal: 175, max: 450 } as const;
