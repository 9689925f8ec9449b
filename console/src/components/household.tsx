import type { CaseView } from '../api/types';
import { formatYuan, useMessages } from '../i18n';

/** The household as the case holds it: ID numbers masked, no bank details. */
export function Household({ household }: { household: CaseView['household'] }) {
  const m = useMessages();
  return (
    <section class="card" aria-labelledby="household-h">
      <h2 id="household-h">{m.case.household}</h2>
      <dl class="facts">
        <dt>{m.case.income}</dt>
        <dd>{formatYuan(household.annualIncomeFen)}</dd>
        <dt>{m.case.housing}</dt>
        <dd>{household.housingGrade}</dd>
        <dt>{m.case.cause}</dt>
        <dd>{m.causes[household.primaryCause] ?? household.primaryCause}</dd>
        <dt>{m.case.otherCauses}</dt>
        <dd>{household.secondaryCauses.length ? household.secondaryCauses.map((c) => m.causes[c] ?? c).join('、') : m.common.none}</dd>
        <dt>{m.case.requestedHelp}</dt>
        <dd>{household.requestedHelp}</dd>
      </dl>
      <h3>{m.case.members}</h3>
      <div class="table-wrap" role="region" aria-label={m.case.members} tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{m.case.name}</th>
              <th scope="col">{m.case.relation}</th>
              <th scope="col">{m.case.idNumber}</th>
              <th scope="col">{m.case.age}</th>
              <th scope="col">{m.case.ableToWork}</th>
              <th scope="col">{m.case.health}</th>
            </tr>
          </thead>
          <tbody>
            {household.members.map((p) => (
              <tr key={p.idMasked + p.name}>
                <td>{p.name}</td>
                <td>{m.relations[p.relation] ?? p.relation}</td>
                <td class="mono">{p.idMasked}</td>
                <td>{p.age}</td>
                <td>{p.ableToWork ? m.common.yes : m.common.no}</td>
                <td>{m.health[p.health] ?? p.health}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
