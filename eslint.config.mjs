import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'vendor/**', 'coverage/**', '.huntbot/**', 'bin/**', '*.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // The Bot Framework SDK stays in the bot layer, so a move to its successor stays small.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/bot/**', 'src/dialogs/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(botbuilder|botframework-)', message: 'Only src/bot and src/dialogs import the Bot Framework SDK.' }] },
      ],
    },
  },
  // Plain Node scripts (build helpers).
  { files: ['**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  // Plain CommonJS run by Node.js as they are (the parser snapshot's builder and its check).
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', globalThis: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
