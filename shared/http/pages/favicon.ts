/** The site icon: 助 in white on the campaign's red, as SVG (no binary asset to build or ship). */
export const FAVICON_PATH = '/favicon.svg';

export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#b3261e"/><text x="32" y="46" font-size="40" text-anchor="middle" fill="#fff" font-family="system-ui,sans-serif">助</text></svg>`;
