// WORLD's F0 (DIO + StoneMask) against WORLD's own C++ build on the same signals
// (scripts/reference/world-f0-fixtures.py): every frame's F0, voiced or not, within 1e-6 Hz.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { dioFrameCount, interp1, worldF0 } from '../../core/audio/dsp/world-f0.ts';

interface Case {
  name: string;
  options: { fs: number; floor: number; ceil: number; period: number };
  signal: number[];
  f0: number[];
}

const { cases } = JSON.parse(readFileSync(new URL('./fixtures/world-f0.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe('WORLD F0 (DIO + StoneMask)', () => {
  for (const c of cases) {
    it(`${c.name}: every frame matches WORLD's C++`, () => {
      const signal = Float32Array.from(c.signal);
      const f0 = worldF0(signal, c.options.fs, { f0Floor: c.options.floor, f0Ceil: c.options.ceil, framePeriod: c.options.period });
      assert.equal(f0.length, dioFrameCount(signal.length, c.options.fs, c.options.period));
      assert.equal(f0.length, c.f0.length);
      const voiced = c.f0.filter((v) => v > 0).length;
      assert.ok(voiced > 5 && voiced < c.f0.length, `the case has voiced and unvoiced frames (${voiced} of ${c.f0.length})`);
      for (let i = 0; i < f0.length; i++) assert.ok(Math.abs(f0[i]! - c.f0[i]!) <= 1e-6, `frame ${i}: ${f0[i]} vs ${c.f0[i]}`);
    });
  }

  it('interpolates linearly and extrapolates from the end segments, as MATLAB interp1 with histc', () => {
    assert.deepEqual([...interp1([0, 1, 3], [10, 20, 0], [-1, 0, 0.5, 1, 2, 3, 4])], [0, 10, 15, 20, 10, 0, -10]);
  });
});
