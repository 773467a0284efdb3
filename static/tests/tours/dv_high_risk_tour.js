/** @odoo-module */
/**
 * High-risk case management in two tours: a case worker records a risk
 * assessment on the shipped screening checklist that comes out high, and the
 * case waits for a conference; the coordinator plans the conference, the case
 * is on its agenda, marks it as held and records an action for a partner
 * agency.
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
    openTab,
    pickRecord,
    planConference,
    saveForm,
    stateIs,
    typedDate,
} from "./dv_tour_utils";

const RED_FLAGS = 3; // strangulation, threats to kill, weapons come first
const HIGH_FROM = 11; // the checklist's band "high" starts at 11 yes answers

addTour("dv_risk_assessment_tour", {
    steps: () => [
        ...openApp(),
        openMenu("dv_case_menu", "dv_case_root_menu"),
        {
            content: "open Rita Risiko's case, the only one of the office",
            trigger: ".o_kanban_view .o_kanban_record:not(.o_kanban_ghost)",
            run: "click",
        },
        openTab("risk"),
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
        clickStatusButton("action_done", "complete the assessment"),
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
        openTab("risk"),
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

const PARTICIPANTS = ".o_field_widget[name=participant_ids]";

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

addTour("dv_case_conference_tour", {
    steps: () => [
        ...openApp(),
        ...planConference(),
        {
            content: "the place",
            trigger: ".o_field_widget[name=place] input",
            run: "edit Rathaus, Raum 3",
        },
        ...addParticipant("Tour Interventionsstelle", "dv_tour_coordinator"),
        ...addParticipant("Tour Frauenhaus", "dv_tour_shelter"),
        ...saveForm(),
        clickStatusButton("action_invite", "invite the participants"),
        {
            content: "the coordinator is told whom the invitation reached",
            trigger: ".o_notification_manager .o_notification:contains(Dv Tour Shelter)",
        },
        stateIs("invited"),
        ...caseOnAgenda(),
        ...conferenceHeld(),
        openAgendaItem(),
        ...agreeAction({
            name: "Sicherheitsplan mit der Betroffenen abstimmen",
            owner: "Tour Frauenhaus",
            days: 14,
        }),
        {
            content: "the action is listed for the shelter",
            trigger: ".o_field_widget[name=action_ids] .o_data_row td[name=owner_agency_id]:contains(Tour Frauenhaus)",
        },
        clickStatusButton("action_approve_minutes", "approve the minutes"),
        stateIs("approved"),
    ],
});

addTour("dv_action_report_tour", {
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
        clickStatusButton("action_mark_done", "the action is done"),
        stateIs("done"),
    ],
});
