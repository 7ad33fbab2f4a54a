import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import { TauriBackend } from "./shared/tauri-backend";

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");

mount(App, { target, props: { backend: new TauriBackend() } });
