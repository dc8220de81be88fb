// Inside the app frame too, so a refused page keeps the navigation (and its Sign out).
export { default } from '../forbidden';
