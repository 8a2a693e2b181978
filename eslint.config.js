import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Linted: server, common, console/src, h5/src, simulator, scripts, bench, test (see the `lint` script).
export default defineConfig(
  // Build output (dist/, console/dist/, h5/dist/), local data and test output.
  globalIgnores(['**/dist/**', '**/node_modules/**', 'data/**', 'coverage/**', 'test-results/**', 'test/artifacts/**']),
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' },
    },
  },
  {
    rules: {
      // A leading underscore marks a parameter kept for its position, and a rest sibling names what an object copy leaves out.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // A variable that a listener reads before its only assignment (the server's handler, 503 until the app is built) cannot be const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Formatting, not correctness: the templates keep a tag's attributes on one line.
      'vue/max-attributes-per-line': 'off',
      // Breaking `<span>text</span>` over lines would add spaces around inline text.
      'vue/singleline-html-element-content-newline': 'off',
    },
  },
  {
    // The H5's route views are pages/<route>/index.vue: the folder names them.
    files: ['h5/src/pages/**/index.vue'],
    rules: { 'vue/multi-word-component-names': 'off' },
  },
  {
    files: ['server/**', 'common/**', 'simulator/**', 'scripts/**', 'bench/**', 'test/**'],
    ignores: ['simulator/page/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['console/src/**', 'h5/src/**', 'simulator/page/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
