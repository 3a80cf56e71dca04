// Classifier-free guidance with rescale, on the network's hidden states before the logit
// head, exactly where maskgct_t2s.py / maskgct_s2a.py `reverse_diffusion` apply it:
//   g     = g_c + scale · (g_c − g_u)
//   g_out = rescale · g · std(g_c)/std(g) + (1 − rescale) · g
// The formula is Amphion's, shared with Vevo's flow matching: it lives in core/generation.
export { rescaledGuidance as classifierFreeGuidance, standardDeviation } from '../../../core/generation/guidance.ts';
