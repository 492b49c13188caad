import fc from 'fast-check';
import { parse } from 'yaml';
import { toYaml, yamlString } from '../../../src-server/domain/yaml-emit';

/** JSON-like values as the export holds them (no undefined inside arrays, finite numbers). */
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary' }),
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('toYaml', () => {
  test('reads back as the same value, in YAML 1.2 and YAML 1.1', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const text = toYaml(value);
        const expected = JSON.parse(JSON.stringify(value)) as unknown;
        expect(parse(text)).toEqual(expected);
        expect(parse(text, { version: '1.1' })).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  test('strings a YAML 1.1 reader would take for something else stay strings', () => {
    const words = [
      '09:00',
      '10:30',
      'yes',
      'no',
      'on',
      'off',
      'y',
      'n',
      '0o17',
      '0x1f',
      '1e3',
      '<<',
      '=SUM(A1)',
      '~',
      'null',
      '',
      ' padded ',
      '- dash',
      '#x',
      'a: b',
    ];
    const text = toYaml({ jobs: [{ name: words, n: 'n', yes: 1 }] });
    expect(parse(text, { version: '1.1' })).toEqual({ jobs: [{ name: words, n: 'n', yes: 1 }] });
    // Keys that read as booleans in YAML 1.1 are quoted; field names are plain.
    expect(text).toContain('"n": "n"');
    expect(text).toContain('"yes": 1');
    expect(text).toContain('jobs:\n  - name:\n      - "09:00"\n');
  });

  test('the export shape: block style, empty lists inline, numbers and booleans bare', () => {
    expect(toYaml({ jobs: [{ id: 'a', channels: ['@mkbhd'], tags: [], priority: 5, enabled: true, depends_on: null }] })).toBe(
      'jobs:\n  - id: "a"\n    channels:\n      - "@mkbhd"\n    tags: []\n    priority: 5\n    enabled: true\n    depends_on: null\n',
    );
    expect(toYaml({ jobs: [] })).toBe('jobs: []\n');
    expect(toYaml([[1, []], {}])).toBe('- - 1\n  - []\n- {}\n');
  });

  test("characters outside YAML's printable set are escaped", () => {
    expect(yamlString('a\u0085b\u2028c\u007f\ufeff\u0001')).toBe('"a\\u0085b\\u2028c\\u007f\\ufeff\\u0001"');
    expect(yamlString('\ud800')).toBe('"\\ud800"');
  });
});
