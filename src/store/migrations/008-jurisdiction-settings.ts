/** Per-jurisdiction procedure settings; the most specific one (village, town, county) applies. */
export const sql = `
CREATE TABLE jurisdiction_settings (
  code              text PRIMARY KEY REFERENCES jurisdictions(code),
  publicity_period  text,
  stage_time_limit  text,
  updated_by        text NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
`;
