/** @odoo-module */
/**
 * High-risk case management in two tours: a case worker records a risk
 * assessment on the shipped screening checklist that comes out high, and the
 * case waits for a conference; the coordinator plans the conference, the case
 * is on its agenda, marks it as held and records an action for a partner
 * agency.
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

const RED_FLAGS = 3; // strangulation, threats to kill, weapons come first
const HIGH_FROM = 11; // the checklist's band "high" starts at 11 yes answers

registry.category("web_tour.tours").add("dv_risk_assessment_tour", {
    url: "/odoo",
    steps: () => [
        ...openApp(),
        openMenu("dv_case_menu", "dv_case_root_menu"),
        {
            content: "open Rita Risiko's case, the only one of the office",
            trigger: ".o_kanban_view .o_kanban_record:not(.o_kanban_ghost)",
            run: "click",
        },
        {
            content: "look at the case's risk",
            trigger: ".o_form_view .o_notebook a.nav-link[name=risk]",
            run: "click",
        },
        {
            content: "start a risk assessment from the case",
            trigger: ".o_notebook button[name=action_new_assessment]",
            run: "click",
        },
        {
            content: "the screening checklist is chosen and its items are listed",
            trigger: ".o_field_widget[name=answer_ids] tbody tr.o_data_row:nth-child(21)",
        },
        {
            content: "no level is shown before any answer",
            trigger: ".oe_title:not(:has(.o_field_widget[name=final_level]))",
        },
        ...Array.from({ length: RED_FLAGS }, (_, index) => answer(index + 1, "no")).flat(),
        ...Array.from({ length: HIGH_FROM }, (_, index) =>
            answer(RED_FLAGS + index + 1, "yes")
        ).flat(),
        {
            content: "eleven yes answers, no red flag",
            trigger: ".o_field_widget[name=yes_count]:contains(/^\\s*11\\s*$/)",
        },
        {
            content: "the score reaches the band high",
            trigger: ".o_field_widget[name=band_level] span[raw-value=high]",
        },
        {
            content: "complete the assessment",
            trigger: ".o_form_statusbar button[name=action_done]",
            run: "click",
        },
        {
            content: "the user is told that the case is on the conference list now",
            trigger: ".o_notification_manager .o_notification",
        },
        stateIs("done"),
        {
            content: "open the case",
            trigger: ".o_field_widget[name=case_id] a.o_form_uri",
            run: "click",
        },
        {
            content: "look at the case's risk",
            trigger: ".o_form_view .o_notebook a.nav-link[name=risk]",
            run: "click",
        },
        {
            content: "the case is high risk",
            trigger: ".o_notebook .o_field_widget[name=risk_level] span[raw-value=high]",
        },
        {
            content: "the case awaits a conference",
            trigger: ".o_field_widget[name=awaiting_conference] input:checked",
        },
        openMenu("dv_case_awaiting_conference_menu", "dv_conference_root_menu"),
        {
            content: "the case is listed as awaiting a conference",
            trigger: ".o_list_view .o_data_row",
        },
    ],
});

const AGENDA = ".o_field_widget[name=line_ids]";
const PARTICIPANTS = ".o_field_widget[name=participant_ids]";
const ACTIONS = ".modal .o_field_widget[name=action_ids]";

function addParticipant(agency, login) {
    const row = `${PARTICIPANTS} .o_selected_row`;
    return [
        {
            content: `add ${login} as participant`,
            trigger: `${PARTICIPANTS} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: "signed the confidentiality statement a week ago",
            trigger: `${row} .o_field_widget[name=confidentiality_signed_on] input`,
            run: `edit ${typedDate(-7)}`,
        },
        pickRecord("agency_id", "dv.agency", [["name", "=", agency]], row),
        pickRecord("user_id", "res.users", [["login", "=", login]], row),
    ];
}

registry.category("web_tour.tours").add("dv_case_conference_tour", {
    url: "/odoo",
    steps: () => [
        ...openApp(),
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
        {
            content: "the place",
            trigger: ".o_field_widget[name=place] input",
            run: "edit Rathaus, Raum 3",
        },
        ...addParticipant("Tour Interventionsstelle", "dv_tour_coordinator"),
        ...addParticipant("Tour Frauenhaus", "dv_tour_shelter"),
        ...saveForm(),
        {
            content: "invite the participants",
            trigger: ".o_form_statusbar button[name=action_invite]",
            run: "click",
        },
        {
            content: "the coordinator is told whom the invitation reached",
            trigger: ".o_notification_manager .o_notification:contains(Dv Tour Shelter)",
        },
        stateIs("invited"),
        {
            content: "look at the agenda",
            trigger: ".o_form_view .o_notebook a.nav-link[name=agenda]",
            run: "click",
        },
        {
            content: "the high-risk case is on the agenda",
            trigger: `${AGENDA} .o_data_row td[name=label]:contains(/./)`,
        },
        {
            content: "the conference was held",
            trigger: ".o_form_statusbar button[name=action_held]",
            run: "click",
        },
        stateIs("held"),
        {
            content: "open the case on the agenda",
            trigger: `${AGENDA} .o_data_row td[name=label]`,
            run: "click",
        },
        {
            content: "agree on an action",
            trigger: `${ACTIONS} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: "due in two weeks",
            trigger: `${ACTIONS} .o_selected_row .o_field_widget[name=due_date] input`,
            run: `edit ${typedDate(14)}`,
        },
        {
            content: "what is to be done",
            trigger: `${ACTIONS} .o_selected_row .o_field_widget[name=name] input`,
            run: "edit Sicherheitsplan mit der Betroffenen abstimmen",
        },
        pickRecord(
            "owner_agency_id",
            "dv.agency",
            [["name", "=", "Tour Frauenhaus"]],
            `${ACTIONS} .o_selected_row`
        ),
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
            content: "the action is listed for the shelter",
            trigger: ".o_field_widget[name=action_ids] .o_data_row td[name=owner_agency_id]:contains(Tour Frauenhaus)",
        },
        {
            content: "approve the minutes",
            trigger: ".o_form_statusbar button[name=action_approve_minutes]",
            run: "click",
        },
        stateIs("approved"),
    ],
});

registry.category("web_tour.tours").add("dv_action_report_tour", {
    url: "/odoo",
    steps: () => [
        ...openApp(),
        openMenu("dv_conference_action_menu", "dv_conference_root_menu"),
        {
            content: "the shelter's open action is listed",
            trigger: ".o_list_view .o_data_row td[name=name]:contains(Sicherheitsplan)",
            run: "click",
        },
        {
            content: "what, who and by when are the organiser's: read only",
            trigger: ".o_form_view .o_field_widget[name=due_date].o_readonly_modifier",
        },
        {
            content: "report on the action",
            trigger: ".o_field_widget[name=report] textarea",
            run: "edit Sicherheitsplan am Telefon besprochen und abgestimmt.",
        },
        ...saveForm(),
        {
            content: "the action is done",
            trigger: ".o_form_statusbar button[name=action_mark_done]",
            run: "click",
        },
        stateIs("done"),
    ],
});
