import { render } from 'preact';
import { App } from './app';
import { takeTokenFromFragment } from './session';
import './style.css';

takeTokenFromFragment();
const root = document.getElementById('app');
if (root) render(<App />, root);
