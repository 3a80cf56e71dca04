// Step 1c of the pipeline: what the reference clip says (shared with Vevo-TTS).
export { referenceTextOf, unusableTranscript, type ReferenceText } from '../../amphion-text/reference-text.ts';
