// opencc-js ships types for its entry points, not for its dictionary files (the package's
// "./*" export): OpenCC's Traditional → Simplified character table, "貓 猫|簡 简|…".
declare module 'opencc-js/dict/TSCharacters' {
  const table: string
  export default table
}
