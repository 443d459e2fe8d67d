export const placeholder = 1n;
