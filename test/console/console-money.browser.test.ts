import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { INTAKE_COLUMNS } from '../../src/api/intake/columns';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { capture, describeViolations, ensureConsoleBuilt, launchBrowser, phoneContext, watchCsp, givePasswords, submitLogin } from '../support/browser';
import { waitFor } from '../support/case-harness';
import { enrolHousehold } from '../support/enrol';
import { residentIdOf } from '../../src/domain/resident-id';

/**
 * The console's spreadsheets and money pages in a real headless Chromium on a 360 px phone,
 * against the whole service (real Postgres, the Temporal dev server, a worker, the simulated
 * bank): an .xlsx built with exceljs uploaded through the intake page, the templates fetched
 * with the session's token, a payout approved through the console by its town approver, and
 * the funds page listing the funds with their payout publicity. Each page is photographed and
 * checked with axe-core, as in console.browser.test.ts.
 */
const PASSWORD = 'console-money-password-2026';
const USERS = ['village-shiban', 'town-heping', 'county-office', 'fund-manager'];
let serial = Math.floor(Math.random() * 9000);
const idNumber = (birthYear: number) => residentIdOf('522701', `${birthYear}-0${(serial % 9) + 1}-1${serial % 10}`, serial++ % 1000);

describe('the console: spreadsheets, funds and payouts in a browser', () => {
  let api: ApiHarness;
  let browser: Browser;
  const cspReports: string[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    api = await apiHarness({ PUBLICITY_PERIOD: 'PT1S' });
    await givePasswords(api.call, USERS, PASSWORD);
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  }, 120_000);

  async function login(userId: string): Promise<Page> {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    watchCsp(page, cspReports);
    await page.goto(`${api.baseUrl}/login`);
    await submitLogin(page, userId, PASSWORD);
    return page;
  }

  async function check(page: Page, name: string): Promise<void> {
    expect(describeViolations(await capture(page, name))).toEqual([]);
  }

  it('downloads both templates and takes an .xlsx upload built with exceljs, showing each refused row', async () => {
    const village = await login('village-shiban');
    await village.goto(`${api.baseUrl}/upload`);
    await village.getByRole('heading', { name: '批量导入' }).waitFor();

    // The templates come from the API with the session's token.
    const [xlsxDownload] = await Promise.all([village.waitForEvent('download'), village.getByRole('button', { name: '下载 Excel 模板' }).click()]);
    expect(xlsxDownload.suggestedFilename()).toBe('intake-template.xlsx');
    const template = new ExcelJS.Workbook();
    await template.xlsx.load(readFileSync((await xlsxDownload.path()) as string) as unknown as ExcelJS.Buffer);
    expect(template.worksheets[0].getRow(1).getCell(1).value).toBe(INTAKE_COLUMNS.head_name.zh);
    const [csvDownload] = await Promise.all([village.waitForEvent('download'), village.getByRole('button', { name: '下载 CSV 模板' }).click()]);
    expect(csvDownload.suggestedFilename()).toBe('intake-template.csv');
    expect(readFileSync((await csvDownload.path()) as string, 'utf8')).toContain(INTAKE_COLUMNS.head_id_number.zh);

    // A workbook as a village office fills it: Chinese headers, one good row and one with a bad ID number.
    const columns = [
      'head_name',
      'head_id_number',
      'head_age',
      'head_able_to_work',
      'head_health',
      'annual_income_fen',
      'housing_grade',
      'primary_cause',
      'requested_help',
    ] as const;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('申请登记');
    ws.addRow(columns.map((c) => INTAKE_COLUMNS[c].zh));
    ws.addRow(['周明', idNumber(1962), '', '否', '残疾', 88000, 'D', '因病', '房屋修缮']);
    ws.addRow(['吴刚', 'not-an-id', 41, '是', '健康', 130000, 'C', '收入低', '技能培训']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    await village.locator('input[name="file"]').setInputFiles({
      name: '申请登记.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: bytes,
    });
    await village.getByRole('button', { name: '上传' }).click();
    const batch = village.locator('section.batch[data-status="done"]');
    await batch.waitFor({ timeout: 120_000 });
    expect(await batch.innerText()).toContain('已建立 1 个案件');
    expect(await batch.locator('tr[data-line="3"]').innerText()).toContain(INTAKE_COLUMNS.head_id_number.zh);
    await check(village, '31-intake-xlsx');
  }, 300_000);

  it('lets the town approver approve a payout through the console, then lists the fund and its payout publicity', async () => {
    const householdId = await enrolHousehold(api, '6228480011113333');
    const fund = await api.call('POST', '/funds', {
      as: 'fund-manager',
      body: { name: '临时救助资金 2026', jurisdiction: '522701', account: '6228480000000303' },
    });
    expect(fund.status).toBe(201);
    const fundId = fund.body.fundId as string;
    expect(
      (
        await api.call('POST', `/funds/${fundId}/deposits`, {
          as: 'fund-manager',
          body: { amountFen: 1_000_000, source: 'budget', reference: '县财政预算 2026' },
        })
      ).status,
    ).toBe(201);
    const d = await api.call('POST', '/disbursements', {
      as: 'fund-manager',
      body: { fundId, payee: { type: 'household', householdId }, purpose: 'one_time_relief', amountFen: 150_000 },
    });
    expect(d.status).toBe(201);
    const disbursementId = d.body.disbursementId as string;

    // The requester sees the payment but has no form: the requester never approves.
    const manager = await login('fund-manager');
    await manager.goto(`${api.baseUrl}/payment/${disbursementId}`);
    await manager.getByRole('heading', { name: '资金拨付审批' }).waitFor();
    await manager.getByText('此笔拨付当前无需审批。').waitFor();
    expect(await manager.locator('form').count()).toBe(0);

    // The town approver finds it in the inbox, opens it and approves it.
    const town = await login('town-heping');
    await town.goto(`${api.baseUrl}/inbox`);
    const task = town.locator(`li.task[data-case="${disbursementId}"]`);
    await task.waitFor({ timeout: 60_000 });
    expect(await task.innerText()).toContain('资金拨付（乡镇审批）');
    await task.getByRole('link', { name: '审批' }).click();
    await town.waitForURL(new RegExp(`/payment/${disbursementId}$`));
    await town.locator('dd[data-amount]').waitFor();
    expect(await town.locator('dd[data-amount]').innerText()).toBe('¥1,500.00');
    expect(await town.locator('.facts').innerText()).toContain('****3333');
    await check(town, '32-payment');

    await town.getByRole('radio', { name: '同意', exact: true }).check();
    await town.locator('textarea[name="reason"]').fill('已核实该户情况，金额符合临时救助标准。');
    await town.getByRole('button', { name: '提交审批' }).click();
    await town.getByText('审批已提交。').waitFor();
    expect(await town.locator('dd[data-payment-status]').getAttribute('data-payment-status')).not.toBe('awaiting_approval');
    await check(town, '33-payment-approved');

    // In English as well.
    await town.getByRole('button', { name: 'English', exact: true }).click();
    await town.getByRole('heading', { name: 'Payout approval' }).waitFor();
    await town.getByRole('button', { name: '中文', exact: true }).click();

    // The bank pays it; the API records the approval by this approver.
    await waitFor(async () => (await api.call('GET', `/disbursements/${disbursementId}`, { as: 'fund-manager' })).body.status === 'paid', 120_000);
    const paid = await api.call('GET', `/disbursements/${disbursementId}`, { as: 'fund-manager' });
    expect(paid.body.approvals).toEqual([{ level: 'town', by: 'town-heping' }]);

    // The fund manager chooses the fund from the list and sees its balances and payout publicity.
    await manager.goto(`${api.baseUrl}/money`);
    await manager.getByRole('link', { name: '临时救助资金 2026' }).click();
    await manager.getByRole('heading', { name: '临时救助资金 2026' }).waitFor();
    expect(await manager.locator('[data-balance="available"]').innerText()).toBe('¥8,500.00');
    const payout = manager.locator(`table.payouts tr[data-disbursement="${disbursementId}"]`);
    await payout.waitFor();
    const row = await payout.innerText();
    expect(row).toContain('¥1,500.00');
    expect(row).toContain('已拨付');
    expect(row).toContain('****3333');
    await check(manager, '34-funds-payouts');
  }, 600_000);

  it("shows the API's refusal on a payout page to a role that may not read it", async () => {
    const village = await login('village-shiban');
    await village.goto(`${api.baseUrl}/payment/disb-00000000-0000-4000-8000-000000000000`);
    await village.locator('[role="alert"]').waitFor();
    await check(village, '35-payment-refused');
  });

  it('raised no Content-Security-Policy violation on any page', () => {
    expect(cspReports).toEqual([]);
  });
});
