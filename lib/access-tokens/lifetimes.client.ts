/** Lifetimes offered for a new token, in days: every token expires. */
export const TOKEN_LIFETIMES_DAYS = [7, 30, 90, 365] as const;
export type TokenLifetimeDays = (typeof TOKEN_LIFETIMES_DAYS)[number];
