import { z } from 'zod';

/**
 * Money is integer fen, and a float is a 400 (shared/API.md). JSON.parse makes `1.0`, `100.00`
 * and `1e3` the integers 1, 100 and 1000, so the API's JSON parser hands any `*Fen` value not
 * written as an integer literal to validation as its source text (src/api/http/fen-literals.ts);
 * this schema then refuses it, like a string, naming the field.
 */
export const FEN_MESSAGE = 'integer fen, written as an integer literal (1.0, 100.00, 1e3 and "100" are refused)';

const DESCRIPTION = 'integer fen (1 yuan = 100 fen), written as an integer literal: 1.0, 100.00, 1e3 and "100" are refused';
const integerFen = () => z.number({ error: FEN_MESSAGE }).int(FEN_MESSAGE).max(1_000_000_000_000);

/** Integer fen from 0 to 1e12 (10 billion yuan). */
export const fen = (description = DESCRIPTION) => integerFen().min(0).describe(description);

/** An amount that moves: integer fen, positive, at most 1e12. */
export const positiveFen = (description = DESCRIPTION) => integerFen().positive().describe(description);
