import { createHash, createHmac } from 'node:crypto';
import { evaluate } from './helpers';

const signed = (buf: Buffer) => [...buf].map((b) => (b << 24) >> 24);

describe('Utilities and Session', () => {
  it('formats dates in any zone with SimpleDateFormat patterns', () => {
    const r = evaluate(`var d = new Date(Date.UTC(2026, 6, 4, 18, 5, 9, 7));
      return [
        Utilities.formatDate(d, 'America/New_York', "yyyy-MM-dd'T'HH:mm:ssXXX"),
        Utilities.formatDate(d, 'America/New_York', 'EEE, d MMM yyyy hh:mm a z Z'),
        Utilities.formatDate(d, 'UTC', "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"),
        Utilities.formatDate(d, 'Asia/Kolkata', 'EEEE HH:mm XX'),
        Utilities.formatDate(d, 'GMT+2', 'HH:mm Z'),
        Utilities.formatDate(new Date(Date.UTC(2026, 0, 5)), 'Europe/Paris', "yy/M/d H 'h' ''"),
        Session.getScriptTimeZone(),
      ];`);
    expect(r.value).toEqual([
      '2026-07-04T14:05:09-04:00',
      'Sat, 4 Jul 2026 02:05 PM EDT -0400',
      '2026-07-04T18:05:09.007Z',
      'Saturday 23:35 +0530',
      '20:05 +0200',
      "26/1/5 1 h '",
      'America/New_York',
    ]);
  });

  it('computes HMAC-SHA256 and digests as signed Java bytes, and base64 both ways', () => {
    const r = evaluate(`return [
      Utilities.computeHmacSha256Signature('message', 'key'),
      Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, 'abc'),
      Utilities.computeDigest(Utilities.DigestAlgorithm.MD5, 'abc'),
      Utilities.base64Encode('héllo?>'),
      Utilities.base64EncodeWebSafe('héllo?>'),
      Utilities.newBlob(Utilities.base64Decode(Utilities.base64Encode('héllo'))).getDataAsString(),
      Utilities.newBlob(Utilities.base64DecodeWebSafe(Utilities.base64EncodeWebSafe('?>?'))).getDataAsString(),
      Utilities.base64Encode(Utilities.computeHmacSha256Signature('m', 'k')),
      /^[0-9a-f-]{36}$/.test(Utilities.getUuid()),
    ];`);
    const v = r.value as unknown[];
    expect(v[0]).toEqual(signed(createHmac('sha256', 'key').update('message').digest()));
    expect(v[1]).toEqual(signed(createHash('sha256').update('abc').digest()));
    expect(v[2]).toEqual(signed(createHash('md5').update('abc').digest()));
    expect(v.slice(3)).toEqual([
      Buffer.from('héllo?>').toString('base64'),
      Buffer.from('héllo?>').toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
      'héllo',
      '?>?',
      createHmac('sha256', 'k').update('m').digest('base64'),
      true,
    ]);
    expect((v[0] as number[]).some((b) => b < 0)).toBe(true);
  });

  it("refuses byte arrays with numbers outside Java's signed byte range (-128..127), as Apps Script does", () => {
    const calls = [
      'Utilities.base64Encode(BYTES)',
      'Utilities.base64EncodeWebSafe(BYTES)',
      'Utilities.newBlob(BYTES)',
      'Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, BYTES)',
      "Utilities.computeHmacSha256Signature(BYTES, 'key')",
      "Utilities.computeHmacSha256Signature('message', BYTES)",
      'Utilities.computeHmacSignature(Utilities.MacAlgorithm.HMAC_SHA_1, BYTES, BYTES)',
    ];
    for (const bad of ['[1, 200, 3]', '[-129]', '[255]', '[1.5]', "['7']"]) {
      for (const call of calls) {
        const r = evaluate(`return ${call.replace(/BYTES/g, bad)};`);
        expect(r.ok).toBe(false);
        expect(r.error!.message).toMatch(/^The parameters \(number\[\]\) don't match the method signature for Utilities\.\w+\.$/);
      }
    }
    // Signed bytes pass, and encode the same octets as their unsigned twins.
    const r = evaluate(`return [Utilities.base64Encode([-128, -1, 0, 127]), Utilities.newBlob([-61, -87]).getDataAsString()];`);
    expect(r.value).toEqual([Buffer.from([128, 255, 0, 127]).toString('base64'), 'é']);
  });

  it('gives the session users: the owner, and an empty active user for anonymous web requests', () => {
    const r = evaluate(
      `return [Session.getActiveUser().getEmail(), Session.getEffectiveUser().getEmail(), Session.getTemporaryActiveUserKey().length > 10];`,
      { userEmail: 'me@example.com' },
    );
    expect(r.value).toEqual(['me@example.com', 'me@example.com', true]);
  });

  it('renders a minimal HtmlService template and ContentService outputs', () => {
    const r = evaluate(`var t = HtmlService.createTemplate('<h1><?= title ?></h1><?!= raw ?>'); t.title = '<x>'; t.raw = '<i>r</i>';
      var out = ContentService.createTextOutput('a').append('b').setMimeType(ContentService.MimeType.CSV);
      return [t.evaluate().getContent(), out.getContent(), String(out.getMimeType())];`);
    expect(r.value).toEqual(['<h1>&lt;x&gt;</h1><i>r</i>', 'ab', 'CSV']);
  });
});
