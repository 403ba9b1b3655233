import type { Config } from 'tailwindcss';

// Tailwind 4 reads this through `@config` in src/web/styles.css. The palette keeps status colours
// distinguishable for colour-blind users (badges also carry text, never colour alone).
export default {
  content: ['./index.html', './src/web/**/*.{ts,tsx}'],
  theme: {
    extend: {
      colors: {
        brand: {
          50: '#eef4ff',
          100: '#dbe6fe',
          500: '#3b5bdb',
          600: '#2f4ac0',
          700: '#253b99',
          900: '#172554',
        },
        status: {
          valid: '#15803d',
          invalid: '#b91c1c',
          unconfirmed: '#a16207',
          token: '#7e22ce',
        },
      },
      fontFamily: {
        sans: ['Inter', 'ui-sans-serif', 'system-ui', 'sans-serif'],
        mono: ['ui-monospace', 'SFMono-Regular', 'Menlo', 'monospace'],
      },
    },
  },
} satisfies Config;
