import type { Role } from '../domain/roles';
import type { JurisdictionRecord } from './directory';

/** One county, two towns, two villages each (codes follow the national 6/9/12-digit scheme). */
export const DEMO_JURISDICTIONS: JurisdictionRecord[] = [
  { code: '522701', name: 'Qingshan County', level: 'county' },
  { code: '522701101', name: 'Heping Town', level: 'town', parentCode: '522701' },
  { code: '522701102', name: 'Dongfeng Town', level: 'town', parentCode: '522701' },
  { code: '522701101201', name: 'Shiban Village', level: 'village', parentCode: '522701101' },
  { code: '522701101202', name: 'Yangliu Village', level: 'village', parentCode: '522701101' },
  { code: '522701102201', name: 'Baiyun Village', level: 'village', parentCode: '522701102' },
  { code: '522701102202', name: 'Huangni Village', level: 'village', parentCode: '522701102' },
];

/**
 * Demo users: every role, officials for each level, a second official where separation of duties
 * needs one, administrators of the county and of one town. Each logs in with its user id and
 * DEMO_PASSWORD (`npm start`), or uses its API token from demo/users.json.
 */
export const DEMO_USERS: { userId: string; name: string; role: Role; jurisdiction: string }[] = [
  { userId: 'applicant-shiban-1', name: 'Wang Fang (applicant)', role: 'applicant', jurisdiction: '522701101201' },
  { userId: 'applicant-baiyun-1', name: 'Liu Qiang (applicant)', role: 'applicant', jurisdiction: '522701102201' },
  { userId: 'village-shiban', name: 'Shiban village committee', role: 'village_official', jurisdiction: '522701101201' },
  { userId: 'village-yangliu', name: 'Yangliu village committee', role: 'village_official', jurisdiction: '522701101202' },
  { userId: 'village-baiyun', name: 'Baiyun village committee', role: 'village_official', jurisdiction: '522701102201' },
  { userId: 'village-huangni', name: 'Huangni village committee', role: 'village_official', jurisdiction: '522701102202' },
  { userId: 'town-heping', name: 'Heping town workstation', role: 'town_official', jurisdiction: '522701101' },
  { userId: 'town-heping-2', name: 'Heping town workstation (second commissioner)', role: 'town_official', jurisdiction: '522701101' },
  { userId: 'town-dongfeng', name: 'Dongfeng town workstation', role: 'town_official', jurisdiction: '522701102' },
  { userId: 'county-office', name: 'County poverty-alleviation office', role: 'county_official', jurisdiction: '522701' },
  { userId: 'county-office-2', name: 'County office (second approver)', role: 'county_official', jurisdiction: '522701' },
  { userId: 'supervisor', name: 'County supervision office', role: 'supervisor', jurisdiction: '522701' },
  { userId: 'auditor', name: 'County audit', role: 'auditor', jurisdiction: '522701' },
  { userId: 'fund-manager', name: 'Special fund manager', role: 'fund_manager', jurisdiction: '522701' },
  { userId: 'cashier', name: 'Special fund cashier', role: 'cashier', jurisdiction: '522701' },
  { userId: 'operator', name: 'Platform operator (Temporal UI decoding)', role: 'operator', jurisdiction: '522701' },
  { userId: 'county-admin', name: 'County administrator (users and jurisdictions)', role: 'administrator', jurisdiction: '522701' },
  { userId: 'helper-li', name: 'Li Ming, county agriculture bureau (helper)', role: 'helper', jurisdiction: '522701' },
  { userId: 'helper-zhao', name: 'Zhao Hong, county leader (helper)', role: 'helper', jurisdiction: '522701' },
  { userId: 'town-admin-dongfeng', name: 'Dongfeng town administrator', role: 'administrator', jurisdiction: '522701102' },
];

/** Approved suppliers for reimbursement mode (closed operation: paid only to these accounts). */
export const DEMO_SUPPLIERS = [
  { supplierId: 'county-hospital', name: "Qingshan County People's Hospital", jurisdiction: '522701', account: '6228480077770001' },
  { supplierId: 'heping-feed-coop', name: 'Heping fodder cooperative', jurisdiction: '522701101', account: '6228480077770002' },
];
