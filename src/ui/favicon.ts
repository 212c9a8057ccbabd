/** The console's and setup page's icon: a rounded square in the console's accent with a key-like mark. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="7" fill="#0b57d0"/>
<circle cx="12" cy="16" r="5.5" fill="none" stroke="#fff" stroke-width="3"/>
<path d="M17.5 16H26M22.5 16v4.5M26 16v3.5" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round"/>
</svg>`;
