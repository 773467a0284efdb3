/** @odoo-module */
/**
 * Steps shared by the addon's tours. They find things by field names, menu
 * xml ids and record values, never by label text, so they run in any
 * language of the user.
 */
import { queryAll, queryFirst, waitFor, waitUntil } from "@odoo/hoot-dom";
import { formatDate, formatDateTime } from "@web/core/l10n/dates";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const { DateTime } = luxon;

const MODULE = "dv_case_management";

/** Registers the tour ``name``, started from the home page. */
export function addTour(name, tour) {
    registry.category("web_tour.tours").add(name, { url: "/odoo", ...tour });
}

/** A date (or date and time) as the user types it, in the user's format. */
export function typedDate(days = 0) {
    return formatDate(DateTime.now().plus({ days }));
}
export function typedNow() {
    return formatDateTime(DateTime.now());
}

/** Opens the app from the home menu. */
export function openApp() {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "open the Domestic Violence app",
            trigger: `.o_app[data-menu-xmlid="${MODULE}.dv_root_menu"]`,
            run: "click",
        },
    ];
}

/**
 * Opens the menu ``item`` (an xml id without the module), found in the
 * section ``section`` when given. Sections that do not fit into the navbar
 * move into its "more" dropdown; the step looks in both places.
 */
export function openMenu(item, section = null) {
    const top = `${MODULE}.${section || item}`;
    const target = `${MODULE}.${item}`;
    return {
        content: `open the menu ${target}`,
        trigger: `.o_menu_sections [data-menu-xmlid="${top}"]:visible, .o_menu_sections_more:visible`,
        async run(helpers) {
            const direct = queryFirst(`.o_menu_sections [data-menu-xmlid="${top}"]:visible`);
            await helpers.click(direct || ".o_menu_sections_more .dropdown-toggle");
            if (direct && !section) {
                return;
            }
            await helpers.click(
                await waitFor(`.o-dropdown--menu a[data-menu-xmlid="${target}"]`, {
                    timeout: 10000,
                })
            );
        },
    };
}

/**
 * Chooses a record in a many2one field: the record found on the server with
 * ``domain`` (exactly one), typed by its name and picked by its display name
 * in the user's language.
 */
export function pickRecord(field, model, domain, scope = "") {
    const widget = `${scope} .o_field_widget[name=${field}]`.trim();
    return {
        content: `choose the ${model} record ${JSON.stringify(domain)} in ${field}`,
        trigger: `${widget} input`,
        async run(helpers) {
            const records = await rpc(`/web/dataset/call_kw/${model}/search_read`, {
                model,
                method: "search_read",
                args: [domain, ["display_name", "name"]],
                kwargs: { limit: 2, context: user.context },
            });
            if (records.length !== 1) {
                throw new Error(
                    `${records.length} ${model} records match ${JSON.stringify(domain)}`
                );
            }
            const [{ display_name: label, name }] = records;
            await helpers.edit(name);
            let seen = [];
            const option = await waitUntil(
                () => {
                    const links = queryAll(`${widget} .o-autocomplete--dropdown-item a`);
                    seen = links.map((link) => link.textContent.trim());
                    return links.find((link) => link.textContent.trim() === label);
                },
                { timeout: 10000 }
            ).catch(() => {
                throw new Error(`"${label}" is not among the options ${JSON.stringify(seen)}`);
            });
            await helpers.click(option);
        },
    };
}

/** Steps that save the form in the main view and wait until it is saved. */
export function saveForm() {
    return stepUtils.saveForm();
}

/** Checks that the status bar shows ``state``. */
export function stateIs(state) {
    return {
        content: `the record is ${state}`,
        trigger: `.o_statusbar_status button[data-value="${state}"].o_arrow_button_current`,
    };
}

const FILLED = { yes: "btn-danger", no: "btn-success", unknown: "btn-secondary" };

/**
 * One click answers item ``row`` of a risk assessment's checklist with
 * ``value`` (yes, no, unknown); the form saves itself.
 */
export function answerItem(row, value) {
    const line = `.o_field_widget[name=answer_ids] tbody tr.o_data_row:nth-child(${row})`;
    return [
        {
            content: `answer item ${row}: ${value}`,
            trigger: `${line} button[name=action_answer_${value}]:not(.${FILLED[value]})`,
            run: "click",
        },
        {
            content: `item ${row} is answered`,
            trigger: `${line} button.${FILLED[value]}[name=action_answer_${value}]`,
        },
    ];
}

/** Chooses ``value`` in the radio field ``field`` (within ``scope``). */
export function chooseRadio(field, value, scope = "") {
    return {
        content: `choose ${value} in ${field}`,
        trigger: `${scope} .o_field_widget[name=${field}] input[data-value=${value}]`.trim(),
        run: "click",
    };
}

/** Opens the tab ``name`` of the form's notebook. */
export function openTab(name) {
    return {
        content: `open the tab ${name}`,
        trigger: `.o_form_view .o_notebook a.nav-link[name=${name}]`,
        run: "click",
    };
}

/**
 * Saves the form in the dialog and waits until the dialog is closed (until
 * ``closed`` is found: by default, until no dialog is left).
 */
export function saveDialog(content = "save the dialog", closed = "body:not(:has(.modal))") {
    return [
        {
            content,
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "the dialog is closed",
            trigger: closed,
        },
    ];
}

/** Clicks the button ``name`` (an action method) of the form's status bar. */
export function clickStatusButton(name, content = `click ${name}`) {
    return {
        content,
        trigger: `.o_form_statusbar button[name=${name}]`,
        run: "click",
    };
}

// Case conferences

export const AGENDA = ".o_field_widget[name=line_ids]";
/** The actions of the agenda item open in its dialog. */
const AGENDA_ACTIONS = ".modal .o_field_widget[name=action_ids]";

/** Opens the list of conferences and plans a new one that takes place now. */
export function planConference() {
    return [
        openMenu("dv_conference_menu", "dv_conference_root_menu"),
        {
            content: "plan a case conference",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            content: "it takes place now",
            trigger: ".o_field_widget[name=start] input",
            run: `edit ${typedNow()}`,
        },
    ];
}

/** Opens the office's conference (the first of the list) from the home menu. */
export function openConference() {
    return [
        ...openApp(),
        openMenu("dv_conference_menu", "dv_conference_root_menu"),
        {
            content: "open the office's conference",
            trigger: ".o_list_view .o_data_row td[name=name]",
            run: "click",
        },
    ];
}

/** Shows the agenda and waits until a case is on it. */
export function caseOnAgenda() {
    return [
        openTab("agenda"),
        {
            content: "the case is on the agenda",
            trigger: `${AGENDA} .o_data_row td[name=label]:contains(/./)`,
        },
    ];
}

/** Records the conference as held. */
export function conferenceHeld() {
    return [clickStatusButton("action_held", "the conference was held"), stateIs("held")];
}

/** Opens the (first) case on the agenda in its dialog. */
export function openAgendaItem() {
    return {
        content: "open the case on the agenda",
        trigger: `${AGENDA} .o_data_row td[name=label]`,
        run: "click",
    };
}

/**
 * In the open agenda item's dialog, agrees on the action ``name`` for the
 * agency named ``owner``, due in ``days`` days, a perpetrator-side measure
 * of the type with the code ``measureType`` when given; keeps the agenda
 * item and saves the conference.
 */
export function agreeAction({ name, owner, days, measureType = null }) {
    const row = `${AGENDA_ACTIONS} .o_selected_row`;
    return [
        {
            content: "agree on an action",
            trigger: `${AGENDA_ACTIONS} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: "what is to be done",
            trigger: `${row} .o_field_widget[name=name] input`,
            run: `edit ${name}`,
        },
        ...(measureType
            ? [
                  pickRecord(
                      "perpetrator_measure_type_id",
                      "dv.perpetrator.measure.type",
                      [["code", "=", measureType]],
                      row
                  ),
              ]
            : []),
        pickRecord("owner_agency_id", "dv.agency", [["name", "=", owner]], row),
        {
            content: `due in ${days} days`,
            trigger: `${row} .o_field_widget[name=due_date] input`,
            run: `edit ${typedDate(days)}`,
        },
        ...saveDialog("keep the agenda item"),
        ...saveForm(),
        openTab("actions"),
    ];
}
