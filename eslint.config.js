// Lint rules: type-aware checks for promises, and the import rules between layers
// from docs/architecture.md ("Layers, and who imports whom").
import tseslint from 'typescript-eslint'

const io = ['idb', 'libp2p', '@libp2p/*', '@chainsafe/*', '@automerge/*', 'preact', 'preact/*', '@preact/*', 'node:*']
const layer = (name) => [`**/${name}/**`, `../${name}/*`, `../../${name}/*`]

/** Forbid importing the given layers and packages; `typesOnly` layers may be imported with `import type`. */
function restrict(layers, packages = [], typesOnly = []) {
  return {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          ...layers.map((l) => ({ group: layer(l), message: `layer rule (docs/architecture.md): may not import src/${l}` })),
          ...typesOnly.map((l) => ({ group: layer(l), allowTypeImports: true, message: `layer rule (docs/architecture.md): only types from src/${l}` })),
          ...(packages.length ? [{ group: packages, message: 'layer rule (docs/architecture.md): this layer may not use that library' }] : []),
        ],
      },
    ],
  }
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-artifacts/**', 'dev-dist/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/core/**'], rules: restrict(['store', 'net', 'relay', 'app'], io) },
  { files: ['src/store/**'], rules: restrict(['net', 'relay', 'app'], ['libp2p', '@libp2p/*', 'preact', 'preact/*', '@preact/*', 'node:*']) },
  { files: ['src/net/**'], rules: restrict(['relay', 'app'], ['preact', 'preact/*', '@preact/*', 'idb'], ['store']) },
  { files: ['src/relay/**'], rules: restrict(['app'], ['preact', 'preact/*', '@preact/*', 'idb']) },
  { files: ['src/app/**'], rules: restrict(['relay'], ['node:*']) },
  // UI components are functions of state plus callbacks (docs/architecture.md): no libp2p, idb or Automerge.
  { files: ['src/app/ui/**'], rules: restrict(['relay', 'net'], ['libp2p', '@libp2p/*', 'idb', '@automerge/*', 'node:*'], ['store']) },
)
