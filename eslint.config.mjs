import tseslint from 'typescript-eslint';

// Apps Script service globals: only the adapters (src-server/gas/) and the entry file may touch them.
const APPS_SCRIPT_GLOBALS = [
  'SpreadsheetApp', 'PropertiesService', 'CacheService', 'LockService', 'ScriptApp', 'HtmlService',
  'ContentService', 'MailApp', 'GmailApp', 'UrlFetchApp', 'Utilities', 'Session', 'Logger', 'YouTube',
  'DriveApp', 'DocumentApp', 'Browser',
].map((name) => ({ name, message: `${name} is an Apps Script global: use it only in src-server/gas/ behind a port.` }));

// What Apps Script's V8 runtime does not have (a call would throw at run time, not in the emulator's tests only).
const SERVER_MISSING_GLOBALS = ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'setImmediate', 'fetch', 'process', 'Buffer', 'window', 'document'].map(
  (name) => ({ name, message: `${name} does not exist in Apps Script.` }),
);

// Layers of src-server, lowest first: domain <- ports.ts <- sync <- app <- api. A layer imports only
// the layers below it (and libraries); gas/ implements the ports and holds the composition; main.ts,
// rpc.ts and boot.ts are the entry points, imported by nobody but main.ts. Outside sync/, the engine
// is reached through its barrel (sync/index.ts) only. Each rule matches relative specifiers: a file in
// a layer folder reaches another layer as '../<layer>' (ports as '../ports').
const layer = (name, message) => ({ regex: `^(\\.\\./)+${name}(/.*)?$`, message });
const ENTRY_POINTS = layer('(main|rpc|boot)', 'main.ts, rpc.ts and boot.ts are entry points: nothing imports them.');
const SYNC_INNER = {
  regex: '^(\\.\\./)+sync/.+$',
  message: 'Import the sync engine through its barrel (../sync), not its inner files.',
};
const LAYER_RULES = [
  {
    files: ['src-server/domain/**/*.ts'],
    banned: [layer('(ports|sync|app|api|gas|lazy)', 'domain/ is the lowest layer: it imports only itself and libraries.')],
  },
  {
    files: ['src-server/ports.ts'],
    banned: [{ regex: '^\\./(?!domain/)', message: 'ports.ts may import domain/ types only.' }],
  },
  {
    files: ['src-server/sync/**/*.ts'],
    banned: [layer('(app|api|gas|lazy)', 'sync/ may import domain/ and ports only: move what it needs down.')],
  },
  {
    files: ['src-server/app/**/*.ts'],
    banned: [layer('(api|gas|lazy)', 'app/ may import domain/, ports, sync/ and itself.'), SYNC_INNER],
  },
  {
    files: ['src-server/api/**/*.ts'],
    banned: [layer('(sync|gas|lazy)', 'api/ may import domain/, ports, app/ and itself.'), SYNC_INNER],
  },
  {
    files: ['src-server/gas/**/*.ts'],
    banned: [SYNC_INNER],
  },
].map(({ files, banned }) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [...banned, ENTRY_POINTS] }] },
}));

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
    // The server runs in Apps Script: no Node or browser timers, fetch, process or Buffer anywhere in it.
    files: ['src-server/**/*.ts'],
    rules: { 'no-restricted-globals': ['error', ...SERVER_MISSING_GLOBALS] },
  },
  {
    files: ['src-server/**/*.ts'],
    ignores: ['src-server/gas/**', 'src-server/main.ts'],
    rules: { 'no-restricted-globals': ['error', ...APPS_SCRIPT_GLOBALS, ...SERVER_MISSING_GLOBALS] },
  },
  {
    // Nor require (a call, not a global).
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
  {
    // Promises (the sidebar's google.script.run calls, the dev server, the tests): none is forgotten.
    files: ['src-sidebar/**/*.ts', 'emulator/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  ...LAYER_RULES,
);
