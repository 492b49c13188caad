import tseslint from 'typescript-eslint';

// Apps Script service globals: only the adapters (src-server/gas/) and the entry file may touch them.
const APPS_SCRIPT_GLOBALS = [
  'SpreadsheetApp', 'PropertiesService', 'CacheService', 'LockService', 'ScriptApp', 'HtmlService',
  'ContentService', 'MailApp', 'GmailApp', 'UrlFetchApp', 'Utilities', 'Session', 'Logger', 'YouTube',
  'DriveApp', 'DocumentApp', 'Browser',
].map((name) => ({ name, message: `${name} is an Apps Script global: use it only in src-server/gas/ behind a port.` }));

export default tseslint.config(
  { ignores: ['build/**', 'node_modules/**', '.local/**', 'coverage/**', 'screenshots/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src-server/**/*.ts'],
    ignores: ['src-server/gas/**', 'src-server/main.ts'],
    rules: { 'no-restricted-globals': ['error', ...APPS_SCRIPT_GLOBALS] },
  },
  {
    // The server runs in Apps Script: no Node or browser timers, fetch, require or process.
    files: ['src-server/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.name='require']", message: 'Apps Script has no require.' },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'emulator/**/*.ts', 'scripts/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
