// FACodec's fixed facts, as data. Sources: Amphion models/codec/ns3_codec/{README.md,
// facodec.py, quantize/rvq.py} (open-mmlab/Amphion), summarised in shared/design/models.md §6.

export const FACODEC = {
  sampleRate: 16000,
  /** Encoder strides 2·4·5·5: samples per frame. */
  hop: 200,
  frameRate: 80,
  /** `codebook_size_* = 10` means 2^10 ids per codebook (quantize/rvq.py). */
  codebookSize: 1024,
  /** Quantiser layers per factor, in the order of FACodecDecoder's `vq_id`: prosody, content, residual. */
  layers: { prosody: 1, content: 2, residual: 3 },
  /** Speaker embedding: time-mean of the timbre encoder (hidden 256). */
  speakerDim: 256,
  /** Bound on speaker embedding values a client may send (real ones are O(1)). */
  speakerLimit: 10_000,
  /** Longest audio a token payload may describe (the content upload limit's default). */
  maxSeconds: 600,
  /** Decoder pieces for long inputs: 25.6 s each; 32 frames (0.4 s) cover the decoder's reach. */
  chunking: { chunkFrames: 2048, contextFrames: 32, fadeFrames: 8 },
} as const;

export const maxFrames = FACODEC.maxSeconds * FACODEC.frameRate;
