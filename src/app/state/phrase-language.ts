// The phrase word lists (protocol/identity.md) line up with the UI languages one to one.
export type PhraseLanguage = 'en' | 'zh-Hans' | 'zh-Hant'
