import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bopomofoToIpa } from '../../core/text/mandarin/bopomofo-to-ipa.ts';
import { integerToChinese, numbersToChinese } from '../../core/text/mandarin/chinese-numbers.ts';
import { chineseToBopomofo, normalizeChinese } from '../../core/text/mandarin/mandarin-phones.ts';
import { pinyinToBopomofo } from '../../core/text/mandarin/pinyin-to-bopomofo.ts';
import { mergeBu, mergeEr, mergeYi } from '../../core/text/mandarin/segment-words.ts';
import { buSandhi, changeTone, erSandhi, thirdToneSandhi, yiSandhi } from '../../core/text/mandarin/tone-sandhi.ts';
import { splitChineseEnglish } from '../../core/text/g2p/mixed-runs.ts';

describe('pinyin to bopomofo', () => {
  it('spells initials and finals', () => {
    assert.equal(pinyinToBopomofo('zhuang'), 'ㄓㄨㄤ');
    assert.equal(pinyinToBopomofo('bian'), 'ㄅㄧㄢ');
    assert.equal(pinyinToBopomofo('guo'), 'ㄍㄨㄛ');
  });

  it('reads u after j, q and x as ü, and v as ü everywhere', () => {
    assert.equal(pinyinToBopomofo('ju'), 'ㄐㄩ');
    assert.equal(pinyinToBopomofo('xuan'), 'ㄒㄩㄢ');
    assert.equal(pinyinToBopomofo('lv'), 'ㄌㄩ');
    assert.equal(pinyinToBopomofo('nüe'), 'ㄋㄩㄝ');
  });

  it('knows the y/w spellings and the syllables without a vowel letter', () => {
    assert.equal(pinyinToBopomofo('yong'), 'ㄩㄥ');
    assert.equal(pinyinToBopomofo('wei'), 'ㄨㄟ');
    assert.equal(pinyinToBopomofo('shi'), 'ㄕ');
    assert.equal(pinyinToBopomofo('si'), 'ㄙ');
  });

  it('answers undefined for what is not pinyin', () => {
    assert.equal(pinyinToBopomofo('xyz'), undefined);
  });
});

describe('bopomofo to Amphion phones', () => {
  it('writes tones as arrows on the final', () => {
    assert.equal(bopomofoToIpa('ㄋㄧˇ|ㄏㄠˇ'), 'n|i↓↑|x|ɑʊ↓↑');
    assert.equal(bopomofoToIpa('ㄇㄚˉ'), 'm|a→');
  });

  it('gives zhi/chi/shi/ri/zi/ci/si their apical vowel', () => {
    assert.equal(bopomofoToIpa('ㄓˉ|ㄘˊ|ㄙˋ'), 'ts`⁼ɹ→|tsʰɹ↑|sɹ↓');
  });

  it('keeps punctuation as its own phone', () => {
    assert.equal(bopomofoToIpa('ㄏㄠˇ|,|ㄇㄚ˙|?'), 'x|ɑʊ↓↑|,|m|a|?');
  });
});

describe('numbers read in Chinese', () => {
  it('reads integers with 零 where digits are skipped', () => {
    assert.equal(integerToChinese('0'), '零');
    assert.equal(integerToChinese('15'), '十五');
    assert.equal(integerToChinese('110'), '一百一十');
    assert.equal(integerToChinese('1001'), '一千零一');
    assert.equal(integerToChinese('10010'), '一万零一十');
    assert.equal(integerToChinese('200000'), '二十万');
    assert.equal(integerToChinese('100000001'), '一亿零一');
  });

  it('reads years, percentages, fractions and decimals', () => {
    assert.equal(numbersToChinese('1998年'), '一九九八年');
    assert.equal(numbersToChinese('50%'), '百分之五十');
    assert.equal(numbersToChinese('3/4'), '四分之三');
    assert.equal(numbersToChinese('3.14'), '三点一四');
    assert.equal(numbersToChinese('-2'), '负二');
  });
});

describe('Mandarin tone sandhi', () => {
  it('changes or sets a tone mark', () => {
    assert.equal(changeTone('ㄧ', 'ˋ'), 'ㄧˋ');
    assert.equal(changeTone('ㄅㄨˋ', 'ˊ'), 'ㄅㄨˊ');
    assert.equal(changeTone('ㄧˋ', ''), 'ㄧ');
  });

  it('turns the first of two third tones into a second tone', () => {
    assert.deepEqual(thirdToneSandhi(['你', '好'], ['ㄋㄧˇ', 'ㄏㄠˇ']), ['ㄋㄧˊ', 'ㄏㄠˇ']);
  });

  it('reads 不 as bu2 before a fourth tone', () => {
    assert.deepEqual(buSandhi(['不', '怕'], ['ㄅㄨˋ', 'ㄆㄚˋ']), ['ㄅㄨˊ', 'ㄆㄚˋ']);
    assert.deepEqual(buSandhi(['不', '好'], ['ㄅㄨˋ', 'ㄏㄠˇ']), ['ㄅㄨˋ', 'ㄏㄠˇ']);
  });

  it('reads 一 by what follows it', () => {
    assert.deepEqual(yiSandhi(['一', '段'], ['ㄧ', 'ㄉㄨㄢˋ']), ['ㄧˊ', 'ㄉㄨㄢˋ']);
    assert.deepEqual(yiSandhi(['一', '天'], ['ㄧ', 'ㄊㄧㄢ']), ['ㄧˋ', 'ㄊㄧㄢ']);
    assert.deepEqual(yiSandhi(['一', '百'], ['ㄧ', 'ㄅㄞˇ']), ['ㄧˋ', 'ㄅㄞˇ']);
    assert.deepEqual(yiSandhi(['十', '一'], ['ㄕˊ', 'ㄧ']), ['ㄕˊ', 'ㄧ']);
  });

  it('makes a word-final 儿 neutral except in the listed words', () => {
    assert.deepEqual(erSandhi(['小', '孩', '儿'], ['ㄒㄧㄠˇ', 'ㄏㄞˊ', 'ㄦˊ']), ['ㄒㄧㄠˇ', 'ㄏㄞˊ', 'ㄦ˙']);
    assert.deepEqual(erSandhi(['女', '儿'], ['ㄋㄩˇ', 'ㄦˊ']), ['ㄋㄩˇ', 'ㄦˊ']);
  });
});

describe('Chinese words for the tone rules', () => {
  it('joins 一, 不 and 儿 to their neighbours', () => {
    assert.deepEqual(mergeYi(['看', '一', '看']), ['看一看']);
    assert.deepEqual(mergeYi(['一', '天']), ['一天']);
    assert.deepEqual(mergeBu(['不', '怕', '不']), ['不怕', '不']);
    assert.deepEqual(mergeEr(['小孩', '儿']), ['小孩儿']);
  });

  it('writes bopomofo per word with tone 1 marked', () => {
    assert.equal(chineseToBopomofo('你好,中国.'), 'ㄋㄧˊ|ㄏㄠˇ|,|ㄓㄨㄥˉ|ㄍㄨㄛˊ|.');
  });

  it('keeps only Han characters and the preserved marks', () => {
    assert.equal(normalizeChinese('你好， 世界！(test)'), '你好,世界!');
  });
});

describe('mixed Chinese/English runs', () => {
  it('attaches digits, spaces and punctuation to the run they follow', () => {
    assert.deepEqual(splitChineseEnglish('我有3个apple!'), [
      { text: '我有3个', language: 'zh' },
      { text: 'apple!', language: 'en' },
    ]);
  });

  it('attaches leading punctuation to the first run', () => {
    assert.deepEqual(splitChineseEnglish('"Hi" 你好'), [
      { text: '"Hi" ', language: 'en' },
      { text: '你好', language: 'zh' },
    ]);
  });

  it('marks text with neither script as other', () => {
    assert.deepEqual(splitChineseEnglish('123!'), [{ text: '123!', language: 'other' }]);
  });
});
