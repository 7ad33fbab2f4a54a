import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";
import { defineConfig } from "vitest/config";

// The bundle is embedded in the app and served by Tauri's custom protocol under a strict CSP:
// no inline scripts or styles, no remote assets, nothing loaded at run time from the network.
export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari16", // WebKitGTK 2.4x, the engine the Linux window uses
    assetsInlineLimit: 0, // an inlined data: URL would need img-src data:, which the CSP refuses
    modulePreload: { polyfill: false }, // WebKit supports modulepreload; keep the entry free of extras
    sourcemap: false,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
  },
});
