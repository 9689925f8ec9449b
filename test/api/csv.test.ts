import { CsvSyntaxError, parseCsv } from '../../src/api/intake/csv';
import { checkCsvRows } from '../../src/api/intake/intake-rows';
import { ProblemError } from '../../src/api/http/problem';
import { ageOf } from '../support/fixtures';

describe('parseCsv (RFC 4180)', () => {
  it('splits records and fields, with CRLF or LF, and a last line without a break', () => {
    expect(parseCsv('a,b,c\r\n1,2,3\n4,5,6')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3'] },
      { line: 3, fields: ['4', '5', '6'] },
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(parseCsv('a,,c,\r\n,,,\r\n')).toEqual([
      { line: 1, fields: ['a', '', 'c', ''] },
      { line: 2, fields: ['', '', '', ''] },
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, and numbers records by the line they start on', () => {
    const text = 'name,note\r\n"Zhang, San","he said ""yes"""\r\n"Li Si","line one\r\nline two\nline three"\r\nWang,"",\r\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['name', 'note'] },
      { line: 2, fields: ['Zhang, San', 'he said "yes"'] },
      { line: 3, fields: ['Li Si', 'line one\r\nline two\nline three'] },
      { line: 6, fields: ['Wang', '', ''] },
    ]);
  });

  it('skips blank lines but counts them, and drops a UTF-8 BOM', () => {
    expect(parseCsv('\uFEFFa,b\r\n\r\n1,2\r\n\r\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['1', '2'] },
    ]);
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('""')).toEqual([{ line: 1, fields: [''] }]);
  });

  it('refuses an unclosed quote, a quote inside an unquoted field and text after a closing quote, naming the line', () => {
    const err = (text: string) => {
      try {
        parseCsv(text);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    expect(err('a,b\r\n1,"open\r\n2,3')).toEqual(expect.objectContaining({ line: 2, reason: 'a quoted field is not closed' }));
    expect(err('a,b\r\n1,2\r\n3,ab"c')).toBeInstanceOf(CsvSyntaxError);
    expect((err('a,b\r\n1,2\r\n3,ab"c') as CsvSyntaxError).line).toBe(3);
    expect((err('a,b\n"x"y,1') as CsvSyntaxError).line).toBe(2);
  });
});

describe('checkCsvRows: one household per line, errors by line and column', () => {
  const header =
    'head_name,head_id_number,head_age,head_able_to_work,head_health,members,annual_income_fen,housing_grade,primary_cause,secondary_causes,requested_help,bank,account_number';
  // Ages left empty: read from the ID numbers.
  const good =
    'Zhang San,522701197001011239,,true,chronic_illness,"Li Si|spouse|522701197202021230||false|serious_illness",210000,C,illness,lack_of_skilled_labour;schooling,"medical top-up, cattle",Rural Credit Cooperative,6228480012345678';

  it('maps a row to a household input', () => {
    const [row] = checkCsvRows(`${header}\r\n${good}\r\n`);
    expect(row).toEqual({
      line: 2,
      household: {
        members: [
          {
            name: 'Zhang San',
            relation: 'head',
            idNumber: '522701197001011239',
            age: ageOf('522701197001011239'),
            ableToWork: true,
            health: 'chronic_illness',
          },
          { name: 'Li Si', relation: 'spouse', idNumber: '522701197202021230', age: ageOf('522701197202021230'), ableToWork: false, health: 'serious_illness' },
        ],
        annualIncomeFen: 210000,
        housingGrade: 'C',
        primaryCause: 'illness',
        secondaryCauses: ['lack_of_skilled_labour', 'schooling'],
        requestedHelp: 'medical top-up, cattle',
        bankAccount: { bank: 'Rural Credit Cooperative', accountNumber: '6228480012345678' },
      },
    });
  });

  it('names the column of each error, and the member within `members`', () => {
    const rows = checkCsvRows(
      [
        header,
        good,
        'Wang Wu,123,abc,maybe,healthy,"Wang Liu|child|522701200101011118|twelve|false|healthy;broken",1.5,Z,illness,flu,help,,',
        'Zhao Qi,522701197001019994,,true,healthy,,100,A,illness,,help,Bank,12',
        'too,few,fields',
      ].join('\n'),
    );
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4, 5]);
    expect(rows[0].household).toBeDefined();
    const paths = (i: number) => (rows[i].errors ?? []).map((e) => e.path).sort();
    expect(paths(1)).toEqual([
      'annual_income_fen',
      'head_able_to_work',
      'head_age',
      'head_id_number',
      'housing_grade',
      'members',
      'members',
      'secondary_causes',
    ]);
    expect(rows[1].errors?.find((e) => e.path === 'members' && /member 1/.test(e.message))?.message).toMatch(/member 1 \(age\)/);
    expect(rows[1].errors?.find((e) => e.path === 'members' && /member 2/.test(e.message))?.message).toMatch(/expected 6 fields/);
    expect(paths(2)).toEqual(['account_number']);
    expect(rows[3].errors).toEqual([{ path: 'row', message: 'expected 13 fields as in the header, found 3' }]);
  });

  it('refuses a second row for the same household head', () => {
    const rows = checkCsvRows(`${header}\n${good}\n${good}\n`);
    expect(rows[0].household).toBeDefined();
    expect(rows[1]).toEqual({
      line: 3,
      errors: [
        { path: 'head_id_number', message: "同一户（户主身份证号）已在第 2 行 (the same household (head's ID number) is already on line 2)" },
        {
          path: 'members',
          message: 'member 1 (idNumber): 此人已在第 2 行登记，一人只能属于一户 (this person is already on line 2: one person, one household)',
        },
      ],
    });
  });

  it('refuses the whole file (400) for a bad header, no rows, or broken CSV', () => {
    const status = (text: string) => {
      try {
        checkCsvRows(text);
      } catch (e) {
        return e instanceof ProblemError ? e.problem : e;
      }
      return undefined;
    };
    expect(status(header.replace('head_age,', 'head_agee,'))).toMatchObject({
      status: 400,
      errors: expect.arrayContaining([
        { path: 'body.header.head_agee', message: 'unknown column "head_agee"' },
        { path: 'body.header.head_age', message: 'missing column (户主年龄 or head_age)' },
      ]),
    });
    expect(status(`${header}\r\n`)).toMatchObject({ status: 400, detail: expect.stringMatching(/no rows/) });
    expect(status('')).toMatchObject({ status: 400 });
    expect(status(`${header}\n${good}\n"unclosed,`)).toMatchObject({
      status: 400,
      errors: [{ path: 'body', message: 'line 3: a quoted field is not closed' }],
    });
  });
});
