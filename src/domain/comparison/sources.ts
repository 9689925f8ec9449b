/**
 * The other departments' records a county compares its applicant households against before
 * approval ("两公示一比对一公告": the comparison step). Codes in English for the API, labels in
 * Chinese for people.
 */
export const REFERENCE_SOURCES = ['public_employees', 'vehicles', 'urban_property', 'business_registrations', 'deaths'] as const;
export type ReferenceSource = (typeof REFERENCE_SOURCES)[number];

export const REFERENCE_SOURCE_ZH: Record<ReferenceSource, string> = {
  public_employees: '财政供养人员',
  vehicles: '车辆',
  urban_property: '城镇房产',
  business_registrations: '工商注册',
  deaths: '死亡',
};

/** "财政供养人员 (public employees)": how a source is named to people. */
export function sourceLabel(source: ReferenceSource): string {
  return `${REFERENCE_SOURCE_ZH[source]} (${source.replace(/_/g, ' ')})`;
}
