// A Whisper audio encoder as a feature extractor, shared by the plugins that condition on
// Whisper features (VevoSing, the SVC family). Not a plugin of its own: a plugin declares the
// graph in its contracts and calls `whisperFeatures` in its pipeline.
export { whisperEncoderGraph, WHISPER_ENCODERS, type WhisperEncoderSize } from './contract.ts';
export { SAMPLES_PER_FEATURE, whisperFeatures, windowCount, windowMel, type WhisperFeatureOptions, type WhisperFeatures } from './features.ts';
