// "Did you write the phrase down?": ask for 3 of the 24 words, chosen at random, compared
// after the same normalisation the phrase parser uses (NFKC, case, surrounding spaces).

export function pickCheckPositions(wordCount: number, count: number, random: () => number = Math.random): number[] {
  const chosen = new Set<number>()
  while (chosen.size < Math.min(count, wordCount)) chosen.add(Math.floor(random() * wordCount))
  return [...chosen].sort((a, b) => a - b)
}

export function splitPhrase(phrase: string): string[] {
  return phrase
    .normalize('NFKC')
    .trim()
    .split(/[\s\u3000]+/u)
    .filter(Boolean)
}

export function normaliseWord(word: string): string {
  return word.normalize('NFKC').trim().toLowerCase()
}

export function checkPhraseWords(phrase: string, answers: ReadonlyMap<number, string>): boolean {
  const words = splitPhrase(phrase)
  for (const [position, answer] of answers) {
    const expected = words[position]
    if (expected === undefined || normaliseWord(expected) !== normaliseWord(answer)) return false
  }
  return answers.size > 0
}
