/** Resident ID number (GB 11643-1999): 17 digits and a check character, 0-9 or X. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The check character the first 17 digits call for. */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** Why this is not a resident ID number, Chinese first; undefined if it is one. */
export function idNumberFault(id: string): string | undefined {
  if (!/^\d{17}[\dX]$/.test(id)) return '身份证号应为 18 位（17 位数字加 1 位数字或 X） (an ID number is 17 digits and a digit or X)';
  if (idCheckCharacter(id) !== id[17]) return '身份证号校验位错误 (ID number check digit is wrong)';
  return undefined;
}
