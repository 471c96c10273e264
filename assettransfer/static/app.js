// Progressive enhancement: GOV.UK Frontend's components (password reveal, menu toggle,
// error summary focus). Pages work without it, and when the assets are not built.
import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();
