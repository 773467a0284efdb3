/** @odoo-module */
/**
 * Protection planning as practice does it, by the coordinator of an intake
 * office: a risk assessment answered "yes" on the weapons item comes out
 * high and proposes a weapons check; she agrees the check with the police,
 * makes the victim's safety plan with steps and agrees it, and at the case
 * conference records a measure on the perpetrator's side.
 */
import {
    addTour,
    agreeAction,
    answerItem as answer,
    caseOnAgenda,
    clickStatusButton,
    conferenceHeld,
    openAgendaItem,
    openApp,
    openMenu,
    pickRecord,
    planConference,
    saveForm,
    stateIs,
    typedDate,
} from "./dv_tour_utils";

const WEAPONS_ROW = 3; // strangulation, threats to kill, weapons come first
const STEPS = ".o_field_widget[name=step_ids]";

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

addTour("dv_protection_tour", {
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
        clickStatusButton("action_done", "complete the assessment"),
        stateIs("done"),
        openMenu("dv_perpetrator_measure_menu", "dv_protection_menu"),
        {
            content: "a weapons check is proposed",
            trigger: ".o_list_view .o_data_row td[name=type_id]:contains(/./)",
            run: "click",
        },
        stateIs("proposed"),
        pickRecord("agency_id", "dv.agency", [["name", "=", "Tour Polizeiinspektion"]]),
        clickStatusButton("action_agree", "agree the weapons check"),
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
        clickStatusButton("action_agree", "the plan is agreed with the victim"),
        stateIs("agreed"),
        ...planConference(),
        ...saveForm(),
        ...caseOnAgenda(),
        ...conferenceHeld(),
        openAgendaItem(),
        ...agreeAction({
            name: "Gefährderansprache durchführen",
            owner: "Tour Polizeiinspektion",
            days: 7,
            measureType: "warning_talk",
        }),
        {
            content: "the action on the perpetrator's side is listed",
            trigger: ".o_field_widget[name=action_ids] .o_data_row td[name=perpetrator_measure_type_id]:contains(/./)",
        },
    ],
});
