import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html is missing <div id="app">; the UI has nowhere to start.');

export default mount(App, { target });
