// Korean normalisation per Amphion's `g2p/g2p/korean.py`: Han characters dropped, known
// English words and letters spelled in Hangul, then lower case.
const ENGLISH_IN_HANGUL: Readonly<Record<string, string>> = {
  KOREA: '코리아', IDOL: '아이돌', IT: '아이티', IQ: '아이큐', UP: '업', DOWN: '다운', PC: '피씨', CCTV: '씨씨티비',
  SNS: '에스엔에스', AI: '에이아이', CEO: '씨이오', A: '에이', B: '비', C: '씨', D: '디', E: '이', F: '에프', G: '지',
  H: '에이치', I: '아이', J: '제이', K: '케이', L: '엘', M: '엠', N: '엔', O: '오', P: '피', Q: '큐', R: '알', S: '에스',
  T: '티', U: '유', V: '브이', W: '더블유', X: '엑스', Y: '와이', Z: '제트',
};

export function normalizeKorean(text: string): string {
  return text
    .trim()
    .replace(/[\u2E80-\u2E99\u2E9B-\u2EF3\u2F00-\u2FD5\u3005\u3007\u3021-\u3029\u3038-\u303A\u303B\u3400-\u4DB5\u4E00-\u9FC3\uF900-\uFA2D\uFA30-\uFA6A\uFA70-\uFAD9]/gu, '')
    .replace(/[A-Za-z]+/gu, (word) => ENGLISH_IN_HANGUL[word] ?? word)
    .toLowerCase();
}
