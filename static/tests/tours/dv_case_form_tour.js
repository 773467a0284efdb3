/** @odoo-module */
/**
 * The case worker's main screen: she opens a case and, in its tabs, records
 * an incident, adds a child, logs a counselling session by phone and records
 * the victim's consent to share with the police, saving in between as she
 * would. At the end every tab of the case form fits a 1366 pixel wide screen.
 */
import { queryAll, queryFirst } from "@odoo/hoot-dom";
import {
    addTour,
    openApp,
    openMenu,
    openTab,
    pickRecord,
    saveDialog,
    saveForm,
} from "./dv_tour_utils";

function addLine(field) {
    return {
        content: `add a line to ${field}`,
        trigger: `.o_field_widget[name=${field}] .o_field_x2many_list_row_add a`,
        run: "click",
    };
}

/** Saves the dialog; a dialog without a form may stay. */
const saveSubform = () =>
    saveDialog("save the dialog", "body:not(:has(.modal .o_form_view))");

const INCIDENT = ".o_field_widget[name=incident_ids] .o_selected_row";
const SESSION = ".o_field_widget[name=session_ids] .o_selected_row";

addTour("dv_case_form_tour", {
    steps: () => [
        ...openApp(),
        openMenu("dv_case_menu", "dv_case_root_menu"),
        {
            content: "open the case of Clara Form, the only one of the office",
            trigger: ".o_kanban_view .o_kanban_record:not(.o_kanban_ghost)",
            run: "click",
        },
        {
            content: "the case form is open",
            trigger: ".o_form_view .o_field_widget[name=name] span:contains(HG-)",
            // The first form of a run loads its code cold.
            timeout: 30000,
        },
        // An incident, in the editable list.
        openTab("incidents"),
        addLine("incident_ids"),
        {
            content: "the incident involved strangulation",
            trigger: `${INCIDENT} .o_field_widget[name=strangulation] input`,
            run: "click",
        },
        {
            content: "and children were present",
            trigger: `${INCIDENT} .o_field_widget[name=children_present] input`,
            run: "click",
        },
        ...saveForm(),
        // A child, in the person's own form.
        openTab("people"),
        addLine("person_ids"),
        {
            content: "the child's name",
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit Kai Form",
        },
        {
            content: "the person is a child",
            trigger: ".modal .o_field_widget[name=role] select",
            run: 'select "child"',
        },
        {
            content: "about six years old",
            trigger: ".modal .o_field_widget[name=age_estimate] input",
            run: "edit 6",
        },
        ...saveSubform(),
        {
            content: "the child is listed",
            trigger: ".o_field_widget[name=person_ids] td:contains(Kai Form)",
        },
        ...saveForm(),
        // A counselling session, in the editable list.
        openTab("sessions"),
        addLine("session_ids"),
        {
            content: "the session was held by phone",
            trigger: `${SESSION} .o_field_widget[name=mode] select`,
            run: 'select "phone"',
        },
        {
            content: "it took 45 minutes",
            trigger: `${SESSION} .o_field_widget[name=duration] input`,
            run: "edit 45",
        },
        ...saveForm(),
        // The victim's consent, in its own form.
        openTab("consents"),
        addLine("consent_ids"),
        pickRecord("person_id", "dv.person", [["name", "=", "Clara Form"]], ".modal"),
        pickRecord("agency_ids", "dv.agency", [["name", "=", "Tour Polizeiinspektion"]], ".modal"),
        pickRecord("purpose_ids", "dv.consent.purpose", [["code", "=", "referral"]], ".modal"),
        ...saveSubform(),
        ...saveForm(),
        {
            content: "the consent is listed with its status",
            trigger: ".o_field_widget[name=consent_ids] .o_data_row td[name=state]",
        },
        {
            content: "every tab fits the screen, the youth welfare office's of a case with children too",
            trigger: ".o_form_view .o_notebook a.nav-link[name=youth_office]",
            run() {
                const headers = queryFirst(".o_form_view .o_notebook .o_notebook_headers");
                const right = headers.getBoundingClientRect().right;
                const cut = queryAll(".o_form_view .o_notebook .o_notebook_headers .nav-link")
                    .filter((tab) => tab.getBoundingClientRect().right > right + 1)
                    .map((tab) => tab.textContent.trim());
                if (cut.length || headers.scrollWidth > headers.clientWidth + 1) {
                    throw new Error(
                        `case tabs overflow at ${window.innerWidth}px: ${cut.join(", ") || "scrolling"}`
                    );
                }
            },
        },
    ],
});
