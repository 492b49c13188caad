import { evaluate, scriptRuntime } from './helpers';

describe('SpreadsheetApp', () => {
  it('refuses setValues whose dimensions do not match the range, with the Sheets messages', () => {
    const r = evaluate(`var s = SpreadsheetApp.getActive().getSheets()[0]; var out = [];
      try { s.getRange('A1:B2').setValues([[1, 2]]); } catch (e) { out.push(e.message); }
      try { s.getRange(1, 1, 2, 2).setValues([[1, 2], [3]]); } catch (e) { out.push(e.message); }
      return out;`);
    expect(r.value).toEqual([
      'The number of rows in the data does not match the number of rows in the range. The data has 1 but the range has 2.',
      'The number of columns in the data does not match the number of columns in the range. The data has 1 but the range has 2.',
    ]);
  });

  it('types written values like Sheets: formulas, formula-like text, apostrophes, numbers, plain-text format, dates', () => {
    const rt = scriptRuntime(`function write() {
        var s = SpreadsheetApp.getActive().getSheets()[0];
        s.getRange('B1').setNumberFormat('@');
        s.getRange(1, 1, 1, 8).setValues([['=HYPERLINK("x")', "'=not a formula", '+1 555', '-dash', '@me', '42', '-3.5', 'plain']]);
        s.getRange('B1').setValue('0042');
        s.getRange('A2').setValue(new Date(Date.UTC(2026, 0, 2)));
        s.getRange('B2').setValue('TRUE');
      }
      function read() {
        var s = SpreadsheetApp.getActive().getSheets()[0];
        var v = s.getRange('A1:H2').getValues();
        return { values: v, formulas: s.getRange('A1:H1').getFormulas(), isDate: v[1][0] instanceof Date, iso: v[1][0].toISOString(), last: [s.getLastRow(), s.getLastColumn()], empty: s.getRange('Z99').getValue() };
      }`);
    rt.run('write');
    const r = rt.run('read').value as {
      values: unknown[][];
      formulas: string[][];
      isDate: boolean;
      iso: string;
      last: number[];
      empty: unknown;
    };
    expect(r.values[0]).toEqual(['#ERROR!', '0042', '#ERROR!', '#ERROR!', '#ERROR!', 42, -3.5, 'plain']);
    expect(r.formulas[0]).toEqual(['=HYPERLINK("x")', '', '=+1 555', '=-dash', '=@me', '', '', '']);
    expect(r.values[1]!.slice(0, 2)).toEqual([expect.anything(), true]);
    expect(r.isDate).toBe(true);
    expect(r.iso).toBe('2026-01-02T00:00:00.000Z');
    expect(r.last).toEqual([2, 8]);
    expect(r.empty).toBe('');
    const first = rt.spreadsheets.values(rt.spreadsheetId, 'Sheet1')[0];
    expect(first?.[1]).toBe('0042');
  });

  it('strips a leading apostrophe and keeps the rest as text', () => {
    const r = evaluate(
      `var c = SpreadsheetApp.getActive().getSheets()[0].getRange('C3'); c.setValue("'=1+1"); return [c.getValue(), c.getFormula(), c.getA1Notation()];`,
    );
    expect(r.value).toEqual(['=1+1', '', 'C3']);
  });

  it('manages sheets: insert, find, hide, freeze, append, insert and delete rows, data range', () => {
    const r = evaluate(`var ss = SpreadsheetApp.getActive();
      var jobs = ss.insertSheet('Jobs'); jobs.appendRow(['id', 'name']); jobs.appendRow([1, 'a']); jobs.appendRow([2, 'b']);
      jobs.insertRowsAfter(1, 2); jobs.deleteRows(2, 1); jobs.setFrozenRows(1); jobs.hideSheet();
      var out = [ss.getSheets().map(function (s) { return s.getName(); }), jobs.isSheetHidden(), jobs.getFrozenRows(), jobs.getLastRow(),
        jobs.getDataRange().getA1Notation(), jobs.getDataRange().getValues(), jobs.getMaxRows(), ss.getSheetByName('Nope')];
      try { ss.insertSheet('jobs'); } catch (e) { out.push(e.message); }
      try { jobs.getRange(0, 1); } catch (e) { out.push(e.message); }
      try { jobs.getRange(1002, 1); } catch (e) { out.push(e.message); }
      return out;`);
    expect(r.value).toEqual([
      ['Sheet1', 'Jobs'],
      true,
      1,
      4,
      'A1:B4',
      [
        ['id', 'name'],
        ['', ''],
        [1, 'a'],
        [2, 'b'],
      ],
      1001,
      null,
      'A sheet with the name "jobs" already exists. Please enter another name.',
      'The starting row of the range is too small.',
      'The coordinates of the range are outside the dimensions of the sheet.',
    ]);
  });

  it('inserts columns: cells to the right move over and the grid widens', () => {
    const r = evaluate(`var sh = SpreadsheetApp.getActive().insertSheet('Wide'); sh.appendRow(['a', 'b', 'c']);
      var before = sh.getMaxColumns(); sh.insertColumnsAfter(1, 2); sh.insertColumnsBefore(1, 1);
      var out = [before, sh.getMaxColumns(), sh.getRange(1, 1, 1, 6).getValues()[0]];
      try { sh.insertColumnsAfter(sh.getMaxColumns() + 1, 1); } catch (e) { out.push(e.message); }
      return out;`);
    expect(r.value).toEqual([26, 29, ['', 'a', '', '', 'b', 'c'], 'Those columns are out of bounds.']);
  });

  it('opens spreadsheets by id and url, and refuses unknown ids', () => {
    const rt = scriptRuntime(`function open(id) { return SpreadsheetApp.openById(id).getName(); }
      function byUrl(u) { return SpreadsheetApp.openByUrl(u).getId(); }`);
    const other = rt.spreadsheets.create('Other');
    expect(rt.run('open', other.id).value).toBe('Other');
    expect(rt.run('byUrl', `https://docs.google.com/spreadsheets/d/${other.id}/edit#gid=0`).value).toBe(other.id);
    expect(rt.run('open', 'missing').error?.message).toBe(
      'Unexpected error while getting the method or property openById on object SpreadsheetApp.',
    );
  });

  it('records menus, sidebars, dialogs, alerts and prompts, and refuses getUi in a trigger', () => {
    const rt = scriptRuntime(
      `function ui() {
        var ui = SpreadsheetApp.getUi();
        ui.createMenu('Tools').addItem('Go', 'go').addSeparator().addSubMenu(ui.createMenu('More').addItem('X', 'x')).addToUi();
        ui.showSidebar(HtmlService.createHtmlOutputFromFile('side').setTitle('Side'));
        ui.showModalDialog(HtmlService.createHtmlOutput('<p>m</p>').setWidth(300).setHeight(200), 'Modal');
        var b = ui.alert('Sure?', 'Really?', ui.ButtonSet.YES_NO);
        var p = ui.prompt('Name?');
        return [b === ui.Button.NO, p.getResponseText(), String(p.getSelectedButton())];
      }
      function fromTrigger() { SpreadsheetApp.getUi(); }`,
      { files: { side: '<b>side</b>' } },
    );
    rt.ui.respond('NO');
    rt.ui.respond('OK', 'Ada');
    expect(rt.run('ui').value).toEqual([true, 'Ada', 'OK']);
    expect(rt.ui.menu('Tools')?.items).toEqual([
      { caption: 'Go', functionName: 'go' },
      { separator: true },
      { caption: 'More', items: [{ caption: 'X', functionName: 'x' }] },
    ]);
    expect(rt.ui.last('sidebar')).toMatchObject({ title: 'Side', html: '<b>side</b>' });
    expect(rt.ui.last('modal')).toMatchObject({ title: 'Modal', html: '<p>m</p>', width: 300, height: 200 });
    expect(rt.ui.last('alert')).toMatchObject({ title: 'Sure?', message: 'Really?', buttons: 'YES_NO', response: 'NO' });
    expect(rt.execute('trigger', 'fromTrigger', []).error?.message).toBe('Cannot call SpreadsheetApp.getUi() from this context.');
  });
});

describe('platform semantics of spreadsheets', () => {
  it('keeps the script zone and the spreadsheet zone apart; dates display in the spreadsheet zone', () => {
    const r = evaluate(
      `var ss = SpreadsheetApp.getActive();
       var before = ss.getSpreadsheetTimeZone();
       var cell = ss.getSheets()[0].getRange('A1');
       cell.setValue(new Date(Date.UTC(2026, 0, 5, 12, 0, 0)));
       cell.setNumberFormat('yyyy-mm-dd hh:mm');
       var tokyo = cell.getDisplayValue();
       ss.setSpreadsheetTimeZone('Europe/Paris');
       var refused = ''; try { ss.setSpreadsheetTimeZone('Mars/Olympus'); } catch (e) { refused = String(e); }
       return [Session.getScriptTimeZone(), before, tokyo, ss.getSpreadsheetTimeZone(), cell.getDisplayValue(), refused];`,
      { scriptTimeZone: 'America/New_York', spreadsheetTimeZone: 'Asia/Tokyo' },
    );
    expect(r.value).toEqual([
      'America/New_York',
      'Asia/Tokyo',
      '2026-01-05 21:00',
      'Europe/Paris',
      '2026-01-05 13:00',
      'Exception: Invalid argument: timezone',
    ]);
  });

  it('matches tab names case-sensitively in getSheetByName but refuses case-insensitive duplicates', () => {
    const r = evaluate(
      `var ss = SpreadsheetApp.getActive();
       ss.insertSheet('Shared');
       var lookups = [ss.getSheetByName('Shared') !== null, ss.getSheetByName('shared') === null];
       var errors = [];
       try { ss.insertSheet('SHARED'); } catch (e) { errors.push(e.message); }
       try { ss.getSheets()[0].setName('shared'); } catch (e) { errors.push(e.message); }
       return [lookups, errors];`,
    );
    expect(r.value).toEqual([
      [true, true],
      [
        'A sheet with the name "SHARED" already exists. Please enter another name.',
        'A sheet with the name "shared" already exists. Please enter another name.',
      ],
    ]);
  });
});
