/** @odoo-module */
/**
 * Protection planning as practice does it, by the coordinator of an intake
 * office: a risk assessment answered "yes" on the weapons item comes out
 * high and proposes a weapons check; she agrees the check with the police,
 * makes the victim's safety plan with steps and agrees it, and at the case
 * conference records a measure on the perpetrator's side.
 */
import { registry } from "@web/core/registry";
import {
    answerItem as answer,
    openApp,
    openMenu,
    pickRecord,
    saveForm,
    stateIs,
    typedDate,
    typedNow,
} from "./dv_tour_utils";

const WEAPONS_ROW = 3; // strangulation, threats to kill, weapons come first
const STEPS = ".o_field_widget[name=step_ids]";
const ACTIONS = ".modal .o_field_widget[name=action_ids]";

function addStep(position, code, days, owner = null) {
    // The new row by its position: on a busy machine the row before may
    // still be the selected one when the next step looks for it.
    const row = `${STEPS} tbody tr.o_data_row:nth-child(${position}).o_selected_row`;
    return [
        {
            content: `add the step ${code}`,
            trigger: `${STEPS} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: `the new row ${position} is the one being edited`,
            trigger: `${row} .o_field_widget[name=step_type_id] input:not([readonly])`,
        },
        pickRecord("step_type_id", "dv.safety.step.type", [["code", "=", code]], row),
        ...(owner ? [pickRecord("owner_agency_id", "dv.agency", [["name", "=", owner]], row)] : []),
        {
            content: `due in ${days} days`,
            trigger: `${row} .o_field_widget[name=due_date] input`,
            run: `edit ${typedDate(days)}`,
        },
    ];
}

registry.category("web_tour.tours").add("dv_protection_tour", {
    url: "/odoo",
    steps: () => [
        ...openApp(),
        openMenu("dv_risk_assessment_menu", "dv_case_root_menu"),
        {
            content: "record a new risk assessment",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        pickRecord("case_id", "dv.case", [["person_ids.name", "=", "Paula Plan"]]),
        pickRecord("instrument_id", "dv.risk.instrument", [["code", "=", "dv_screening"]]),
        ...saveForm(),
        {
            content: "the checklist's items are listed once the assessment is saved",
            trigger: ".o_field_widget[name=answer_ids] tbody tr.o_data_row:nth-child(21)",
        },
        ...answer(1, "no"),
        ...answer(2, "no"),
        ...answer(WEAPONS_ROW, "yes"),
        {
            content: "the yes on weapons is a red flag: high",
            trigger: ".o_field_widget[name=computed_level] span[raw-value=high]",
        },
        {
            content: "complete the assessment",
            trigger: ".o_form_statusbar button[name=action_done]",
            run: "click",
        },
        stateIs("done"),
        openMenu("dv_perpetrator_measure_menu", "dv_protection_menu"),
        {
            content: "a weapons check is proposed",
            trigger: ".o_list_view .o_data_row td[name=type_id]:contains(/./)",
            run: "click",
        },
        stateIs("proposed"),
        pickRecord("agency_id", "dv.agency", [["name", "=", "Tour Polizeiinspektion"]]),
        {
            content: "agree the weapons check",
            trigger: ".o_form_statusbar button[name=action_agree]",
            run: "click",
        },
        stateIs("open"),
        {
            content: "open the case",
            trigger: ".o_field_widget[name=case_id] a.o_form_uri",
            run: "click",
        },
        {
            content: "open the case's safety plan",
            trigger: ".o_form_view .o-form-buttonbox button[name=action_open_safety_plan]",
            run: "click",
        },
        stateIs("draft"),
        ...addStep(1, "emergency_numbers", 1),
        ...addStep(2, "documents", 3),
        ...addStep(3, "protection_order", 7, "Tour Interventionsstelle"),
        {
            content: "reviewed in four weeks",
            trigger: ".o_field_widget[name=review_date] input",
            run: `edit ${typedDate(28)}`,
        },
        ...saveForm(),
        {
            content: "three steps",
            trigger: `${STEPS} tbody tr.o_data_row:nth-child(3)`,
        },
        {
            content: "the plan is agreed with the victim",
            trigger: ".o_form_statusbar button[name=action_agree]",
            run: "click",
        },
        stateIs("agreed"),
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
        ...saveForm(),
        {
            content: "look at the agenda",
            trigger: ".o_form_view .o_notebook a.nav-link[name=agenda]",
            run: "click",
        },
        {
            content: "the high-risk case is on the agenda",
            trigger: ".o_field_widget[name=line_ids] .o_data_row td[name=label]:contains(/./)",
        },
        {
            content: "the conference was held",
            trigger: ".o_form_statusbar button[name=action_held]",
            run: "click",
        },
        stateIs("held"),
        {
            content: "open the case on the agenda",
            trigger: ".o_field_widget[name=line_ids] .o_data_row td[name=label]",
            run: "click",
        },
        {
            content: "agree on an action",
            trigger: `${ACTIONS} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: "what is to be done",
            trigger: `${ACTIONS} .o_selected_row .o_field_widget[name=name] input`,
            run: "edit Gefährderansprache durchführen",
        },
        pickRecord(
            "perpetrator_measure_type_id",
            "dv.perpetrator.measure.type",
            [["code", "=", "warning_talk"]],
            `${ACTIONS} .o_selected_row`
        ),
        pickRecord(
            "owner_agency_id",
            "dv.agency",
            [["name", "=", "Tour Polizeiinspektion"]],
            `${ACTIONS} .o_selected_row`
        ),
        {
            content: "due in a week",
            trigger: `${ACTIONS} .o_selected_row .o_field_widget[name=due_date] input`,
            run: `edit ${typedDate(7)}`,
        },
        {
            content: "keep the agenda item",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "the dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
        ...saveForm(),
        {
            content: "look at the actions",
            trigger: ".o_form_view .o_notebook a.nav-link[name=actions]",
            run: "click",
        },
        {
            content: "the action on the perpetrator's side is listed",
            trigger: ".o_field_widget[name=action_ids] .o_data_row td[name=perpetrator_measure_type_id]:contains(/./)",
        },
    ],
});
