/** @odoo-module */
/**
 * The app's menu fits the screen (the tests' browser is 1366 pixels wide):
 * no section hides behind the navbar's unlabeled "more" button, whatever
 * the role.
 */
import { queryAll, queryFirst } from "@odoo/hoot-dom";
import { addTour, openApp } from "./dv_tour_utils";

addTour("dv_menu_tour", {
    steps: () => [
        ...openApp(),
        {
            content: "the sections of the app are shown",
            trigger: ".o_menu_sections .o_nav_entry, .o_menu_sections .dropdown-toggle",
        },
        {
            content: "every section fits: none is hidden behind the more button",
            trigger: ".o_menu_sections",
            run() {
                const more = queryFirst(".o_menu_sections_more");
                if (more && more.offsetParent !== null) {
                    const hidden = queryAll(".o_menu_sections_more .dropdown-item, .o_menu_sections_more .dropdown-header")
                        .map((item) => item.textContent.trim());
                    throw new Error(`menu sections overflow at ${window.innerWidth}px: ${hidden.join(", ")}`);
                }
                const shown = queryAll(".o_menu_sections > *").map((item) => item.textContent.trim());
                console.log(`dv_menu: ${window.innerWidth}px: ${shown.join(" | ")}`);
            },
        },
    ],
});
