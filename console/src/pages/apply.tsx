import { useState } from 'preact/hooks';
import { api, asProblem, type Problem } from '../api/client';
import { useIdempotencyKey } from '../idempotency';
import type { ApplicationBody, Member } from '../api/types';
import { ProblemMessage } from '../components/status';
import { useMessages } from '../i18n';
import { navigate } from '../router';
import type { Session } from '../session';
import { ageOn, checkResidentId, RESIDENT_ID_MESSAGES } from '../../../src/domain/resident-id';

const CAUSES = ['illness', 'lack_of_skilled_labour', 'living_environment', 'lack_of_development_funds', 'low_income', 'schooling', 'disaster'] as const;
const HEALTH = ['healthy', 'chronic_illness', 'serious_illness', 'disabled'] as const;
const RELATIONS = ['head', 'spouse', 'child', 'parent', 'other'];
type Cause = (typeof CAUSES)[number];

const blankMember = (relation: string): Member => ({ name: '', relation, idNumber: '', ableToWork: true, health: 'healthy' });

/**
 * The ID numbers checked before anything is sent, by the rule the server applies
 * (src/domain/resident-id.ts, GB 11643-1999), in its words; a number given twice names both members.
 */
export function idNumberErrors(members: Pick<Member, 'idNumber'>[], now: Date, sameAs: (n: number) => string): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  const seen = new Map<string, number>();
  members.forEach((x, i) => {
    const r = checkResidentId(x.idNumber.trim(), now);
    if (!r.ok) return void errors.push({ path: `household.members.${i}.idNumber`, message: RESIDENT_ID_MESSAGES[r.fault] });
    const j = seen.get(r.idNumber);
    if (j === undefined) return void seen.set(r.idNumber, i);
    errors.push({ path: `household.members.${j}.idNumber`, message: sameAs(i + 1) }, { path: `household.members.${i}.idNumber`, message: sameAs(j + 1) });
  });
  return errors;
}

/** The age an ID number gives today, or null while it is not a valid number. */
function ageFromId(idNumber: string): number | null {
  const r = checkResidentId(idNumber.trim(), new Date());
  return r.ok ? ageOn(r.birthDate, new Date()) : null;
}

/** Yuan as typed ("2600" or "2600.50") to integer fen, by digits, never through a float; null if it is not such a number. */
export function yuanToFen(text: string): number | null {
  const t = text.trim();
  const parts = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(t);
  if (!parts) return null;
  return Number(parts[1]) * 100 + Number((parts[2] ?? '').padEnd(2, '0'));
}

/** 申请: a household applies (an applicant for their own village, a village official on a household's behalf). */
export function ApplyPage({ session }: { session: Session }) {
  const m = useMessages();
  const own = session.user.jurisdiction;
  const [village, setVillage] = useState(own.length === 12 ? own : '');
  const [members, setMembers] = useState<Member[]>([blankMember('head')]);
  const [income, setIncome] = useState('');
  const [housing, setHousing] = useState<'A' | 'B' | 'C' | 'D'>('C');
  const [cause, setCause] = useState<Cause>('illness');
  const [others, setOthers] = useState<Cause[]>([]);
  const [help, setHelp] = useState('');
  const [bank, setBank] = useState('');
  const [account, setAccount] = useState('');
  const { key, answered } = useIdempotencyKey();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  const setMember = (i: number, patch: Partial<Member>) => setMembers(members.map((x, j) => (j === i ? { ...x, ...patch } : x)));

  const submit = async (e: Event) => {
    e.preventDefault();
    setProblem(null);
    const fen = yuanToFen(income);
    if (fen === null) return setProblem({ errors: [{ path: 'household.annualIncomeFen', message: m.apply.incomeYuan }] });
    if (members.filter((x) => x.relation === 'head').length !== 1) return setProblem({ detail: m.apply.headRequired });
    const idErrors = idNumberErrors(members, new Date(), m.apply.sameIdAs);
    if (idErrors.length) return setProblem({ detail: m.apply.checkIds, errors: idErrors });
    const body: ApplicationBody = {
      village,
      household: {
        members: members.map(({ age: _age, ...x }) => ({ ...x, name: x.name.trim(), idNumber: x.idNumber.trim().toUpperCase() })),
        annualIncomeFen: fen,
        housingGrade: housing,
        primaryCause: cause,
        secondaryCauses: others.filter((c) => c !== cause),
        requestedHelp: help.trim(),
        ...(bank.trim() && account.trim() ? { bankAccount: { bank: bank.trim(), accountNumber: account.trim() } } : {}),
      },
    };
    setBusy(true);
    const { data, error, response } = await api.POST('/applications', { params: { header: { 'Idempotency-Key': key } }, body });
    setBusy(false);
    answered(response.status);
    if (!data) return setProblem(asProblem(error, response.status));
    navigate(session.user.role === 'applicant' ? '/mine' : `/case/${data.caseId}`);
  };

  return (
    <section>
      <h1>{m.apply.title}</h1>
      <form class="form" onSubmit={submit}>
        <label>
          {m.apply.villageCode}
          <input name="village" inputMode="numeric" pattern="\d{12}" required value={village} onInput={(e) => setVillage(e.currentTarget.value.trim())} />
        </label>
        <h2>{m.apply.members}</h2>
        {members.map((x, i) => (
          <fieldset key={i} class="card member">
            <legend>{m.apply.member(i + 1)}</legend>
            <label>
              {m.case.name}
              <input name={`members.${i}.name`} required maxLength={100} value={x.name} onInput={(e) => setMember(i, { name: e.currentTarget.value })} />
            </label>
            <label>
              {m.case.relation}
              <select name={`members.${i}.relation`} value={x.relation} onChange={(e) => setMember(i, { relation: e.currentTarget.value })}>
                {RELATIONS.map((r) => (
                  <option key={r} value={r}>
                    {m.relations[r]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {m.case.idNumber}
              <input
                name={`members.${i}.idNumber`}
                required
                pattern="\d{17}[\dXx]"
                maxLength={18}
                autoComplete="off"
                value={x.idNumber}
                onInput={(e) => setMember(i, { idNumber: e.currentTarget.value })}
              />
            </label>
            <p class="muted">
              {m.apply.ageFromId}: <output name={`members.${i}.age`}>{ageFromId(x.idNumber) ?? '—'}</output>
            </p>
            <label>
              {m.case.health}
              <select name={`members.${i}.health`} value={x.health} onChange={(e) => setMember(i, { health: e.currentTarget.value as Member['health'] })}>
                {HEALTH.map((h) => (
                  <option key={h} value={h}>
                    {m.health[h]}
                  </option>
                ))}
              </select>
            </label>
            <label class="choice">
              <input
                type="checkbox"
                name={`members.${i}.ableToWork`}
                checked={x.ableToWork}
                onChange={(e) => setMember(i, { ableToWork: e.currentTarget.checked })}
              />
              {m.case.ableToWork}
            </label>
            {members.length > 1 && (
              <button type="button" onClick={() => setMembers(members.filter((_, j) => j !== i))}>
                {m.apply.removeMember}
              </button>
            )}
          </fieldset>
        ))}
        <button type="button" onClick={() => setMembers([...members, blankMember('child')])}>
          {m.apply.addMember}
        </button>
        <label>
          {m.apply.incomeYuan}
          <input name="income" inputMode="decimal" required value={income} onInput={(e) => setIncome(e.currentTarget.value)} />
        </label>
        <label>
          {m.apply.housing}
          <select name="housing" value={housing} onChange={(e) => setHousing(e.currentTarget.value as typeof housing)}>
            {(['A', 'B', 'C', 'D'] as const).map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </label>
        <label>
          {m.apply.cause}
          <select name="cause" value={cause} onChange={(e) => setCause(e.currentTarget.value as Cause)}>
            {CAUSES.map((c) => (
              <option key={c} value={c}>
                {m.causes[c]}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>{m.apply.otherCauses}</legend>
          <div class="choices">
            {CAUSES.filter((c) => c !== cause).map((c) => (
              <label key={c} class="choice">
                <input
                  type="checkbox"
                  name="otherCauses"
                  value={c}
                  checked={others.includes(c)}
                  onChange={(e) => setOthers(e.currentTarget.checked ? [...others, c] : others.filter((o) => o !== c))}
                />
                {m.causes[c]}
              </label>
            ))}
          </div>
        </fieldset>
        <label>
          {m.apply.requestedHelp}
          <textarea name="requestedHelp" rows={3} required maxLength={2000} value={help} onInput={(e) => setHelp(e.currentTarget.value)} />
        </label>
        <label>
          {m.apply.bank}
          <input name="bank" maxLength={100} value={bank} onInput={(e) => setBank(e.currentTarget.value)} />
        </label>
        <label>
          {m.apply.account}
          <input name="account" inputMode="numeric" pattern="\d{8,30}" value={account} onInput={(e) => setAccount(e.currentTarget.value)} />
        </label>
        <ProblemMessage problem={problem} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? m.common.saving : m.apply.submit}
        </button>
      </form>
    </section>
  );
}
