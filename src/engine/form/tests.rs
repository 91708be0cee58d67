use super::message::MESSAGE;
use super::*;

fn check(text: &str, carries: bool, asks: bool, mentions: bool) {
    let f = read(text);
    assert_eq!(
        (f.carries, f.asks, f.mentions),
        (carries, asks, mentions),
        "{text:?}: {}",
        f.describe()
    );
}

#[test]
fn talk_about_the_docs_that_still_fails_is_a_report() {
    check(
        "The docs say to run Connect-MgGraph again. I did and it still fails:\nProvide valid credential.",
        true,
        false,
        false,
    );
    check(
        "The docs say \"Provide valid credential.\" means the token is stale, I see.",
        false,
        false,
        true,
    );
}

#[test]
fn pasted_errors_carry_them() {
    check(
        "AADSTS50076: Due to a configuration change made by your administrator",
        true,
        false,
        false,
    );
    // A code named without its message, as its writer hits it.
    for text in [
        "`AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.`",
        "After the upgrade i have receive the code AADSTS500201 on every start",
        "We always get AADSTS900144 from the token endpoint",
        "改了重定向地址以后依旧是AADSTS50011",
        "Since yesterday we are receiving AdalException calling AcquireTokenAsync",
        "I got TokenExpiredError from oauthlib after an hour",
    ] {
        check(text, true, false, false);
    }
    // … and one named in passing, or as what users in general meet, is not.
    for text in [
        "The table lists AADSTS500201 beside the other codes",
        "Users get AADSTS500201 when the account is new",
    ] {
        check(text, false, false, false);
    }
    check(
        r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges"}}"#,
        true,
        false,
        false,
    );
    check(
        "{'error': {'code': 'Authorization_RequestDenied', 'message': 'Insufficient privileges to complete the operation.'}}",
        true,
        false,
        false,
    );
    check(
        "requests said {'error': 'invalid_grant', 'error_description': 'AADSTS70008: The refresh token has expired'}",
        true,
        false,
        false,
    );
    check(
        "Get-MgUser : Insufficient privileges to complete the operation.\n    + CategoryInfo          : InvalidOperation: (:) [Get-MgUser_List], Exception",
        true,
        false,
        false,
    );
    check(
        "Microsoft.Identity.Client.MsalUiRequiredException: AADSTS50078\n   at Microsoft.Identity.Client.Internal.Requests.RequestBase.RunAsync()",
        true,
        false,
        false,
    );
    check(
        "2024-05-02 10:11:12 ERROR sync - token refresh failed",
        true,
        false,
        false,
    );
    check(
        "since this morning I keep getting this error when I open the portal, help",
        true,
        false,
        false,
    );
    // An error the page or the tool shows.
    check(
        "the login page still shows Error AADSTS50011 in a private window",
        true,
        false,
        false,
    );
    check(
        "Outlook keeps displaying the error 'Need admin approval' after the restart",
        true,
        false,
        false,
    );
    // An error in quotes, explained, is talk about it; a writer who hits it still carries it.
    check(
        "In Intune, a 403 'Application is not authorized to perform this operation' means the app lacks the permission; grant it.",
        false,
        false,
        true,
    );
    check(
        "\"Insufficient privileges to complete the operation.\" is caused by an app with delegated permissions only.",
        false,
        false,
        true,
    );
    assert!(read("I get 'Insufficient privileges to complete the operation.' when I run Get-MgUser, what does it mean?").carries);
    // A code the writer hits, named without its message.
    for text in [
        "Same here, AADSTS50011 after the redirect to our app.",
        "I'm stuck on AADSTS50011 after moving the app to the new domain.",
        "Login now ends with AADSTS50011 for everyone in the tenant.",
        "We keep hitting AADSTS50011 when we sign in through the proxy.",
        "Still AADSTS50011 for me after changing the redirect URI.",
    ] {
        assert!(read(text).carries, "{text}");
    }
    for text in [
        "AADSTS50011 means the redirect URI does not match the one registered.",
        "Fixed AADSTS50011 by adding the redirect URI.",
        "The table lists AADSTS50011 with the other redirect errors.",
        "Users get AADSTS50011 when the redirect URI does not match the one registered.",
        "The article says AADSTS50011 is a redirect mismatch.",
        "AADSTS50011 is returned every time the reply URL differs from the registered one.",
        "The table below shows the error codes returned by the token endpoint.",
    ] {
        assert!(!read(text).carries, "{text}");
    }
    // A status named by its word.
    check(
        "WARNING: Request to https://graph.microsoft.com/beta/x: HTTP Status BadRequest",
        true,
        false,
        false,
    );
}

#[test]
fn a_request_to_the_docs_only_mentions_the_error() {
    check(
        "If the button is not clicked, the connector will throw Authorization_RequestDenied exceptions. The documentation should explicitly call this out.",
        false,
        false,
        true,
    );
}

#[test]
fn a_log_line_s_level_is_not_a_commit_s_type() {
    for line in [
        "VERBOSE: Detected count of '0', skipping validation",
        "[INFO] Added 3 members to the group",
        "debug: updated the cached token",
    ] {
        check(line, false, false, false);
    }
    check("fix: detect AADSTS50076 and retry", false, false, true);
    check("[auth] Added a retry for AADSTS50076", false, false, true);
}

#[test]
fn source_code_changelogs_and_reminders_only_mention_them() {
    check(
        "if ($_.Exception.Message -match 'AADSTS50076') { Connect-MgGraph -UseDeviceCode }",
        false,
        false,
        true,
    );
    check(
        "catch (MsalUiRequiredException e) when (e.Message.Contains(\"AADSTS50079\")) {",
        false,
        false,
        true,
    );
    check(
        "- Fixed: AADSTS700082 refresh token expiry is now handled by re-authorising (#412)",
        false,
        false,
        true,
    );
    check(
        "fix(auth): retry once on AADSTS50173 instead of failing the sync",
        false,
        false,
        true,
    );
    check(
        "reminder: AADSTS700082 means the refresh token went unused for 90 days, re-auth the integrations this week",
        false,
        false,
        true,
    );
    check(
        "Released version 3.2.0: the AADSTS50173 prompt now names the account",
        false,
        false,
        true,
    );
}

#[test]
fn an_error_said_to_be_gone_is_only_mentioned() {
    check(
        "Thanks, that worked! The AADSTS50076 went away after I excluded the service account.",
        false,
        false,
        true,
    );
    check(
        "Rebooted the connector and the Insufficient access rights error is gone now",
        false,
        false,
        true,
    );
    check(
        "Since the migration our enterprise app is gone and sign-in fails with AADSTS700016: Application with identifier 'abc' was not found in the directory.",
        true,
        false,
        false,
    );
    check(
        "This worked, until last week. Now every token call fails with AADSTS7000222: The provided client secret keys are expired.",
        true,
        false,
        false,
    );
    // What worked before the error is no fix.
    check(
        "This worked until yesterday, now Graph answers: Lifetime validation failed, the token is expired.",
        true,
        false,
        false,
    );
    // Gone, then back: a report.
    check(
        "AADSTS50076 went away yesterday but I still get it today on the sync account",
        true,
        false,
        false,
    );
    check(
        "Sign-in fails with AADSTS50076: Due to a configuration change made by your administrator",
        true,
        false,
        false,
    );
}

#[test]
fn changelog_items_labelled_by_kind_are_changes() {
    check(
        "- Fixed: AADSTS700016 now shows a clearer message",
        false,
        false,
        true,
    );
    check("* Added: a retry on AADSTS50173", false, false, true);
    // A chat update is no changelog item.
    check(
        "Update: same error again, AADSTS50173: The provided grant has expired",
        true,
        false,
        false,
    );
}

#[test]
fn a_changelog_item_linking_its_pull_request_is_a_change() {
    check(
        "- [[#7078]](https://github.com/contoso/cli/pull/7078) Fix tenant resolution, preventing `AADSTS700082` errors for guest users.",
        false,
        false,
        true,
    );
    check(
        "* [#88](https://github.com/contoso/sync/issues/88) handle AADSTS50173 by signing in again",
        false,
        false,
        true,
    );
    // A link to an issue beside a pasted error is no changelog.
    check(
        "Same as https://github.com/contoso/sync/issues/88 here: AADSTS50173: The provided grant has expired due to it being revoked",
        true,
        false,
        false,
    );
}

#[test]
fn an_issue_title_opening_with_a_change_verb_carries_its_failure() {
    check(
        "Update user password results in Authorization Request Denied",
        true,
        false,
        false,
    );
    check(
        "Add-MailboxPermission fails with access denied for shared mailboxes",
        true,
        false,
        false,
    );
}

#[test]
fn a_changelog_entry_naming_what_a_bug_brought_is_still_a_changelog() {
    check(
        "- Fixed sign-in that fails with AADSTS50076 when MFA is required (#123)",
        false,
        false,
        true,
    );
    check(
        "- Handle AADSTS50076 which results in an endless prompt loop",
        false,
        false,
        true,
    );
}

#[test]
fn a_version_named_beside_the_error_it_brought_is_a_report() {
    // "since version 2.4.1" is how reports date a failure: with the error on the same
    // line, the line carries it.
    check(
        "Since version 2.4.1 the login stops with the following message: `AADSTS65001: The user or administrator has not consented to use the application`",
        true,
        false,
        false,
    );
    check(
        "After we upgraded to 5.3.0 every call fails with AADSTS700082: The refresh token has expired due to inactivity.",
        true,
        false,
        false,
    );
}

#[test]
fn english_that_looks_like_code_is_not_code() {
    check(
        "For a week the Graph call always returns \"ErrorAccessDenied\" when the sender differs.",
        false,
        false,
        false,
    );
    check(
        "Set-Mailbox : ||The operation couldn't be performed because the object wasn't found.",
        true,
        false,
        false,
    );
    check(
        "PUT /v1.0/users/x {accountEnabled:false} -> 403 Authorization_RequestDenied Insufficient privileges to complete the operation.",
        true,
        false,
        false,
    );
}

#[test]
fn the_error_s_own_message_is_found() {
    let m = messages(concat!(
        "Get-MgTeamworkDevice : Failed to read the device list for this user.\r\n",
        "    + FullyQualifiedErrorId : Forbidden,Some.Type\n",
        r#"{"error":{"code":"X","message":"Something specific went wrong here"}}"#,
    ));
    assert_eq!(
        m,
        [
            "Failed to read the device list for this user.",
            "Something specific went wrong here"
        ]
    );
}

#[test]
fn graph_powershell_s_message_before_its_status_is_found() {
    // The concise view: the message and the status on one line after PowerShell's bars.
    let m = messages(concat!(
        "     |  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n",
        "     | Widgets are not supported on the API version used in this request.  Status: 400 (BadRequest) ErrorCode: Request_BadRequest\n",
    ));
    assert_eq!(
        m,
        ["Widgets are not supported on the API version used in this request."]
    );
    // The message on its line, the status below after a blank line; the variant of the
    // cmdlet after an underscore.
    let m = messages(concat!(
        "Get-MgWidget_List: The widget's owner could not be read.\n\n",
        "Status: 403 (Forbidden)\n",
        "ErrorCode: Authorization_RequestDenied\n",
    ));
    assert_eq!(m, ["The widget's owner could not be read."]);
    let m = messages("The widget's owner could not be read.\n\nStatus: 403 (Forbidden)\n");
    assert_eq!(m, ["The widget's owner could not be read."]);
    // A status with nothing before it spells no message.
    assert!(messages("Status: 400 (BadRequest)\nErrorCode: X\n").is_empty());
}

#[test]
fn a_wrapper_s_error_after_its_status_is_found() {
    // Terraform's providers: `with error: Code: message`, wrapped by the terminal after `│`.
    let m = messages(concat!(
        "│ Widget Name: \"w\"): unexpected\n",
        "│ status 400 (400 Bad Request) with error: BadRequest: The widget format was\n",
        "│ unexpected. Widgets must name an owner.\n",
    ));
    assert_eq!(
        m,
        ["The widget format was\n│ unexpected. Widgets must name an owner."]
    );
}

#[test]
fn markdown_emphasis_is_no_part_of_a_message() {
    // .NET's default text, in bold, still names nothing of the error.
    assert!(
        messages("Get-Widget : **Exception of type 'System.Exception' was thrown.**\n").is_empty()
    );
    let m = messages("Get-Widget : **The widget's owner could not be read.**\n");
    assert_eq!(m, ["The widget's owner could not be read."]);
}

#[test]
fn one_word_is_no_message() {
    // Graph's Teams bodies put a code where the message goes.
    let body = r#"{"error":{"code":"Forbidden","message":"UnknownError","innerError":{}}}"#;
    assert!(messages(body).is_empty(), "{:?}", messages(body));
}

#[test]
fn the_body_s_message_inside_an_exception_line_is_the_message() {
    let php = r#"PHP Fatal error: Uncaught GuzzleHttp\Exception\ClientException: Client error: `GET https://graph.microsoft.com/v1.0/me/events` resulted in a `400 Bad Request` response: {"error":{"code":"BadRequest","message":"Parsing OData Select and Expand failed.","innerError":{}}} in /var/www/vendor/Guzzle.php:113"#;
    assert_eq!(messages(php), ["Parsing OData Select and Expand failed."]);
    let escaped = r#"requests.exceptions.HTTPError: 403 Client Error: body={\"error\":{\"code\":\"Authorization_RequestDenied\",\"message\":\"Insufficient privileges to complete the operation.\"}}"#;
    assert_eq!(
        messages(escaped),
        ["Insufficient privileges to complete the operation."]
    );
    // A line without a body is its own message.
    let plain =
        "System.InvalidOperationException: The mailbox sync job stopped before the first batch";
    assert_eq!(
        messages(plain),
        ["The mailbox sync job stopped before the first batch"]
    );
}

#[test]
fn a_response_header_is_no_cmdlet_s_message() {
    // Graph PowerShell prints the response's headers; `request-id` opens like a cmdlet
    // (`Request-…`), and its value may wrap onto the next line.
    let headers = concat!(
        "Headers:\n",
        "Vary                          : Accept-Encoding\n",
        "request-id                    : 4f3c2b1a-0d9e-4c8b-a7f6-e5d4c3b2a1f0\n",
        "client-request-id             : 5f3c2b1a-0d9e-4c8b-a7f6-e5d4c3b2a1f0\n",
        "request-id                    : \n",
        "                              client-request-id: 6f3c2b1a\n",
    );
    assert!(messages(headers).is_empty(), "{:?}", messages(headers));
    // A cmdlet's error still opens its line and holds its message on it.
    let m = messages("Request-SPOPersonalSite : Only a tenant administrator can do this.\n");
    assert_eq!(m, ["Only a tenant administrator can do this."]);
}

#[test]
fn a_python_dict_s_message_is_found() {
    let m = messages(
        "{'error': {'code': 'Request_BadRequest', 'message': 'Invalid value specified for property mail.'}}",
    );
    assert_eq!(m, ["Invalid value specified for property mail."]);
}

#[test]
fn a_python_message_in_double_quotes_is_found() {
    let m = messages(
        r#"{'error': {'code': 'X', 'message': "The user's token was rejected by the service."}}"#,
    );
    assert_eq!(m, ["The user's token was rejected by the service."]);
}

#[test]
fn azure_ad_graph_messages_are_found_inside_their_language_object() {
    // An SDK wrapper's own `Message="Unknown service error"` stands before the body; the
    // body's message sits in an object with its language.
    let m = messages(concat!(
        "Status=403 Code=\"Unknown\" Message=\"Unknown service error\"\n",
        r#"Details=[{"odata.error":{"code":"Authorization_RequestDenied","message":{"lang":"en","value":"Insufficient privileges to complete the operation."}}}]"#,
    ));
    assert_eq!(
        m,
        [
            "Unknown service error",
            "Insufficient privileges to complete the operation."
        ]
    );
}

#[test]
fn questions_about_an_error_ask() {
    let f = read("does AADSTS50020 always mean the guest is in the wrong tenant?");
    assert!(f.asks && !f.only_mentions(), "{f:?}");
}

#[test]
fn a_writer_who_cannot_sign_in_reports_the_error() {
    check(
        "Since yesterday I can no longer login to the Graph explorer, I run into an AADSTS50011 error.",
        true,
        false,
        false,
    );
    check(
        "We run into the AADSTS50076 error on the sync account every morning",
        true,
        false,
        false,
    );
    assert!(read("We run into the AADSTS50076 error on the sync account").reports);
    assert!(read("Since Monday I can’t sign-in, AADSTS50076 every time").reports);
    // An admin reporting for the people they support.
    assert!(read("Our customer signs in to Outlook and receives this error: AADSTS90023").reports);
    assert!(read("Our users can't sign in since the policy change").reports);
    // "Me too", in the first person, with the error pasted above it.
    assert!(read("Need admin approval\n\nHi, I am having the same issue as the others, and user consent is on").reports);
    assert!(read("We're facing the exact same problem after the update.").reports);
    assert!(!read("If you are having the same issue, check the consent settings.").reports);
    // A helper who had it, and shares the fix, reports nothing.
    assert!(!read("I had the same issue, the solution was to add the redirect URI.").reports);
    // Talk about the docs stays talk.
    check(
        "According to the documentation, the portal still shows the consent prompt until an admin grants it.",
        false,
        false,
        true,
    );
    assert!(!read("Customers receive this error when the policy blocks them.").reports);
    assert!(!read("Legacy authentication does not work once security defaults are on.").reports);
    assert!(!read("## I get error AADSTS700027 when signing in with a certificate\nUpload the certificate again.").reports);
    assert!(
        read("Re-tested on the current build: the sign-in still fails with AADSTS900971.").reports
    );
    // Others who cannot sign in, in a write-up, are no report of the writer's.
    check(
        "Reminder: users who cannot sign in after AADSTS50076 need the CA exclusion",
        false,
        false,
        true,
    );
}

#[test]
fn requests_for_help_in_scripts_without_spaces_ask() {
    for text in [
        "ログインすると「エラーコード: AADSTS700016」と表示されて先に進めません。",
        "AADSTS50020 が出ます。どうすればよいでしょうか",
        "登录时提示 AADSTS50011，请问怎么解决",
        "AADSTS50076 오류가 납니다. 도와주세요",
    ] {
        assert!(read(text).asks, "{text}");
    }
    // A how-to title asks nothing.
    assert!(!read("AADSTS50011 错误原因及如何解决").asks);
    // A docs page's symptom, in the same script, asks nothing.
    let f = read("サインインしようとすると、次のエラー メッセージが表示されます。AADSTS50020");
    assert!(!f.asks, "{f:?}");
}

#[test]
fn a_paste_with_a_script_still_carries_its_error() {
    let f = read(concat!(
        "$r = Invoke-RestMethod -Uri $uri -Headers $h\n",
        "if ($r.value.Count -eq 0) { throw 'nothing' }\n",
        "Invoke-RestMethod : {\"error\":{\"code\":\"ErrorAccessDenied\",\"message\":\"Access is denied.\"}}",
    ));
    assert!(f.carries && f.mentions && !f.only_mentions(), "{f:?}");
}

#[test]
fn the_genre_of_a_message_about_errors_is_a_mention() {
    let cases: &[(&str, Option<Genre>)] = &[
        // Changes: commit and pull-request titles, whatever they quote.
        ("Add retry when Graph answers AADSTS50076\n\nThe error text is: AADSTS50076: Due to a configuration change…", Some(Genre::Change)),
        ("Made a change to the consent error message shown for AADSTS65001", Some(Genre::Change)),
        ("feat(auth): surface AADSTS700082 to the user", Some(Genre::Change)),
        ("Closes #88: prompt for sign-in again on invalid_grant", Some(Genre::Change)),
        // A release's heading underlined; a table of a service's own codes.
        ("4.60.1\n==========\n### Bug Fixes\n- Resolved an issue where sign-in with a certificate failed with `MsalServiceException` (AADSTS5002730).", Some(Genre::Change)),
        ("4.60.1\nSign-in fails with AADSTS5002730 since this version.", None),
        ("## Errors\n\n|Code|Message|\n|:---|:---|\n|AF10001|The permission set sent in the request did not include the expected permission.|\n|AF20022|No subscription found for the specified content type.|", Some(Genre::Table)),
        // A CI run's page: the commit's title, then the run's own annotations.
        ("Bump msal from 1.26.0 to 1.28.0 #31\nAnnotations\n1 error\nbuild\nAADSTS700213: No matching federated identity record found for presented assertion subject.", None),
        ("Bump msal from 1.26.0 to 1.28.0 #31\nAnnotations: the build now reports AADSTS700213 on a subject mismatch.", Some(Genre::Change)),
        ("fix console output in the worker #48\ntest-deployment.yaml\non: push\nAnnotations\n4 errors, 1 warning, and 2 notices\ndeploy\nAADSTS7000215: Invalid client secret provided.", None),
        // A title that names its error's status is a report; one naming a status it handles
        // is a change.
        ("Add groupmember to security group - Error 400 Bad Request\n\nI followed the doc and it throws 400 status code - Bad request.", None),
        ("Add retry on 429 Too Many Requests from Graph", Some(Genre::Change)),
        // A change quoted from the message replied to is not the writer's own.
        ("Thanks, but when I submit a request I get the following error:\n> requested changes on this pull request.\nAADSTS50020: User account 'user@contoso.com' from identity provider 'live.com' does not exist in tenant 'Contoso'", None),
        ("The sign-in still fails with AADSTS50020.\nThis pull request adds the tenant to the sign-in request.", Some(Genre::Change)),
        // A changelog's section or release heading opens what changed.
        ("### Fixed\n- Saving a group no longer fails with 'A null value was found with the expected type'.", Some(Genre::Change)),
        ("## [2.4.1] - 2026-05-01\n- Sign-in retries once on AADSTS50076.", Some(Genre::Change)),
        ("### Error\n```\nAADSTS50076: Due to a configuration change made by your administrator\n```", None),
        ("## Steps to reproduce 1.2\nConnect-MgGraph fails with AADSTS50076.", None),
        // A title that names the failure the change fixes, said so ("this commit fixes"),
        // and a body closing its issue (`Closes #48` alone on a line).
        ("Creating an event failed with UnableToDeserializePostBody, this commit fixes the content type of the request", Some(Genre::Change)),
        ("Send the Content-Type header on POST\n\nCreating an event failed with UnableToDeserializePostBody.\n\nCloses #48", Some(Genre::Change)),
        ("Ask for the token again when the certificate step fails\n\nFix #102, #103\n\nSign-in failed with AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.", Some(Genre::Change)),
        // A report that only cites the commit it blames, or an issue's number in passing.
        ("Since this commit was merged, creating an event fails:\nUnableToDeserializePostBody: were unable to deserialize", None),
        ("Creating an event fails with UnableToDeserializePostBody, same as in #48:\nwere unable to deserialize", None),
        // Reports on documentation.
        ("AADSTS9002313 is missing from the error code reference", Some(Genre::DocsReport)),
        ("Missing error code AADSTS135010 in the table", Some(Genre::DocsReport)),
        ("The documentation for error code 50158 is outdated", Some(Genre::DocsReport)),
        ("Please add details for AADSTS50199\n\nAADSTS50199\nFailure reason: the user must confirm the sign-in.", Some(Genre::DocsReport)),
        ("Please add information on error code 53003 to the table", Some(Genre::DocsReport)),
        ("This document does not describe error AADSTS53010. Can this be added to the document?", Some(Genre::DocsReport)),
        ("The article doesn't mention AADSTS50199 at all", Some(Genre::DocsReport)),
        ("Please add to the documentation the error responses of these cases:\n1. the member is already in the group\nThis returns 400 Bad Request: One or more added object references already exist.", Some(Genre::DocsReport)),
        ("Please add sign-in code 70044\n\nmissing sign-in error code 70044\noccurred while logging in via Outlook Mobile", Some(Genre::DocsReport)),
        ("Please add the user again, then sign-in code 70044 shows:\nAADSTS70044: The session has expired or is invalid due to sign-in frequency checks by conditional access.", None),
        ("I would like to suggest a note for this page. Deleting an admin fails with \"Insufficient privileges to delete the selected users.\" and Graph gives 403.", Some(Genre::DocsReport)),
        ("@someone According to the error log: `The refresh token has expired due to inactivity`. It means that your refresh token is expired; sign in again.", Some(Genre::WriteUp)),
        ("Graph PowerShell asks for scopes.\nAs you can see in the below example, even a global admin cannot list users:\nGet-MgUser : Insufficient privileges to complete the operation.\nRun Connect-MgGraph -Scopes User.Read.All first.", Some(Genre::WriteUp)),
        ("As you can see in the output below, it fails for me:\nGet-MgUser : Insufficient privileges to complete the operation.", None),
        ("I read that this means your client secret expired. Still:\nConnect-MgGraph : AADSTS7000215: Invalid client secret provided.", None),
        ("@sam from the output:\nConnect-MgGraph : AADSTS7000215: Invalid client secret provided.", None),
        ("When I request a change on the page I get 403 Forbidden: Insufficient privileges to complete the operation.", None),
        ("I got it working with the old module; with v2 it fails with AADSTS7000215: Invalid client secret provided.", None),
        ("I got it working on my dev machine.\nOn the build agent: Connect-MgGraph : AADSTS7000215: Invalid client secret provided.", None),
        ("According to the error log it fails here:\nAADSTS700082: The refresh token has expired due to inactivity.\nWhat does it mean?", None),
        ("Please document which errors the call returns when the user is disabled.\n403 Forbidden: Insufficient privileges to complete the operation.", Some(Genre::DocsReport)),
        ("Please add the user to the group again, then I get:\n400 Bad Request: One or more added object references already exist.", None),
        ("AADSTS50199 shows up for half our users. Can it be added to the exclusion list?", None),
        ("The sign-in page does not mention why, it only shows AADSTS50199: For security reasons, user confirmation is required for this request.", None),
        ("Please give more details on AADSTS50105, I get it in Teams", None),
        ("Please add the following detail: I get AADSTS50199 on every sign-in", None),
        // A request that lacks a part is what an error reports, not what the docs lack.
        ("Sign-in fails with AADSTS900144 saying that the 'scope' parameter is missing", None),
        ("Token refresh returns error AADSTS90014 because the client_id field is missing from the request", None),
        ("Error code AADSTS50199 is missing from the table; its claims are not documented", Some(Genre::DocsReport)),
        ("AADSTS50199 not present in the list of codes", Some(Genre::DocsReport)),
        ("AADSTS7000216 is not listed\nWe keep seeing it when we ask for a token.", Some(Genre::DocsReport)),
        // A code's own message saying what is missing is the error, not the docs' gap.
        ("AcquireTokenAsync exception AADSTS90122 User identifier is not present\nSince yesterday our on-behalf-of call fails.", None),
        ("Sign-in fails: Error AADSTS90014: The required field 'request' is missing from the credential.", None),
        ("AADSTS50199 - not documented", Some(Genre::DocsReport)),
        // A code with its own message in the title is the error, even where the message
        // says something is missing; a writer's remark after the code, or a request to
        // document it that quotes its message, stays a report on documentation.
        ("AADSTS50199 - Not documented", Some(Genre::DocsReport)),
        ("Missing error code: AADSTS7000112: Application is disabled.", Some(Genre::DocsReport)),
        ("Sign-in error after the upgrade: AADSTS90020 -The SAML 1.1 Assertion is missing ImmutableID of the user.", None),
        // Said when it happens to the writer, after "but the following error occurs".
        ("I moved the pod to workload identity and configured it, but the following error occurs:\n```\nAADSTS700024: Client assertion is not within its valid time range.\n```\nThis error occurs after one day or so.", None),
        ("This error occurs when the assertion has expired. Request a new assertion before each token call.", Some(Genre::WriteUp)),
        ("I fixed it by setting expirationSeconds to 3600. Before that the first call worked but an error occurred after a day.\nFix: set expirationSeconds to 3600 in the projected token volume.", Some(Genre::WriteUp)),
        ("Error code AADSTS50199: missing from the reference table", Some(Genre::DocsReport)),
        ("Document AADSTS76026 publicly for developers: AADSTS76026: The request has expired", Some(Genre::DocsReport)),
        // Write-ups and articles that already give the fix, in several languages.
        ("## Symptoms\nSign-in fails with AADSTS50020.\n## Cause\nThe guest was removed.\n## Resolution\nInvite the user again.", Some(Genre::WriteUp)),
        ("Dieser Artikel beschreibt den Fehler AADSTS50020.\nUrsache: der Gast fehlt.\nLösung: erneut einladen.", Some(Genre::WriteUp)),
        ("Teamsでエラー AADSTS50020 の原因と解決策\nサインインできない場合…", Some(Genre::WriteUp)),
        ("登录时出现错误\n本文介绍登录 Microsoft 365 时出现的错误:\nAADSTS50020: 来自标识提供者的用户帐户不存在于租户中。", Some(Genre::WriteUp)),
        ("同意時發生非預期的錯誤\n這篇文章討論同意應用程式時發生的錯誤。\nAADSTS90094: 需要系統管理員同意。", Some(Genre::WriteUp)),
        ("로그인 오류\n이 문서에서는 AADSTS50020 오류를 해결하는 방법을 설명합니다.", Some(Genre::WriteUp)),
        ("Ошибка входа\nВ этой статье описывается ошибка AADSTS50020 и способы ее устранения.", Some(Genre::WriteUp)),
        ("Błąd logowania\nW tym artykule opisano błąd AADSTS50020.", Some(Genre::WriteUp)),
        ("Oturum açma hatası\nBu makalede AADSTS50020 hatası açıklanmaktadır.", Some(Genre::WriteUp)),
        ("Erro de entrada\nNeste artigo, descrevemos o erro AADSTS50020.", Some(Genre::WriteUp)),
        // A mail's body (本文 in Japanese) is not "this article".
        ("メール本文に次のエラーが表示されます:\nAADSTS50020: User account from identity provider does not exist in tenant.", None),
        ("## 现象\n登录时报错 AADSTS50020。\n\n## 原因\n来宾账户已被删除。\n\n## 解决方案\n重新邀请该用户。", Some(Genre::WriteUp)),
        ("同步工具刷新令牌时报错 AADSTS70008\n\n## 问题描述\n令牌长期未使用。\n\n## 修复方向\n- 每天刷新一次令牌", Some(Genre::Change)),
        // Tables and lists of several codes each explained.
        ("| Code | Meaning |\n|---|---|\n| AADSTS50076 | MFA required |\n| AADSTS50079 | MFA enrolment |", Some(Genre::Table)),
        ("- AADSTS50076: MFA is required\n- AADSTS50079: enrol in MFA\n- AADSTS50078: MFA expired", Some(Genre::ListOfErrors)),
        // Graph's camelCase codes, each alone in its cell; a table of a paste's properties
        // with camelCase names in prose cells is no list of codes.
        ("| code | meaning |\n|---|---|\n| `invalidRequest` | the request is malformed |\n| itemNotFound | no such item |", Some(Genre::Table)),
        ("| step | result |\n|---|---|\n| upload via uploadSession | fails with 400 |\n| retry with smaller chunks | same |", None),
        ("Uploading the report fails; the response, field by field:\n| field | value |\n|---|---|\n| code | invalidRequest |\n| innerError | {\"request-id\": \"4f1e\"} |\n| message | Invalid request |", None),
        ("Sign-in fails with AADSTS501051 and its parameters are:\n| parameter | value |\n|-|-|\n| `appId` | the managed identity |\n| `resourceName` | the API's name |", None),
        // A troubleshooting page's sections, each headed by its code; one heading in an
        // issue is not a list.
        ("### invalid_grant (AADSTS50076)\nMFA is needed.\n### access_denied (AADSTS65005)\nThe tenant is unmanaged.\n### unauthorized_client (`AADSTS700016`)\nThe app is unknown.", Some(Genre::ListOfErrors)),
        ("### Error (AADSTS50076)\nI get this every morning when the sync runs:\nAADSTS50076: Due to a configuration change made by your administrator", None),
        // An article says what it is in its opening lines, not only its first.
        ("Sign-in trouble in Teams happens at the worst time.\nIn this article we go through AADSTS50020 and what to do.", Some(Genre::WriteUp)),
        ("Fel AADSTS50011: omdirigerings-URI:n matchar inte\n\nDen här artikeln beskriver felet.", Some(Genre::WriteUp)),
        // Bare headings of a write-up.
        ("Token expired\nError Message\nAADSTS700082: The refresh token has expired\nRoot Cause\nThe token sat unused.\nResolution\nIssue a new token.", Some(Genre::WriteUp)),
        // Text written for others who will meet the error, or that already says how to fix it.
        ("From next month guests must be invited first.\n\nUsers will see the following error when they sign in:\n> AADSTS50020: User account from identity provider does not exist in tenant", Some(Genre::WriteUp)),
        ("Sign-in fails with AADSTS50105 for some users. To resolve this, you must assign the users to the application.", Some(Genre::WriteUp)),
        ("Another situation could occur when a calendar user needs to sign in again, with a response similar to:\nAADSTS70000: The user could not be authenticated as the grant is expired.", Some(Genre::WriteUp)),
        ("Sign-in fails with AADSTS90014: The request body must contain the following parameter: 'client_id'.\nTo resolve issue, I modified request_token as follows.", Some(Genre::WriteUp)),
        ("I fixed it by passing the tenant id.\nAADSTS90002: Tenant not found.", Some(Genre::WriteUp)),
        ("I fixed it by passing the tenant id, but now I get:\nAADSTS90002: Tenant not found.", None),
        ("One may receive the following 403 error when adding a member:\n\"code\": \"Authorization_RequestDenied\",\n\"message\": \"Insufficient privileges to complete the operation.\"", Some(Genre::WriteUp)),
        ("Adding a member fails:\n\"code\": \"Authorization_RequestDenied\"\n\nBelow are some guidelines for resolving the error.\nCheck the group type.", Some(Genre::WriteUp)),
        ("I followed the steps to resolve the error and I still get:\n\"code\": \"Authorization_RequestDenied\"", None),
        ("As you can see the error below, the sync stops every night:\nAuthorization_RequestDenied: Insufficient privileges to complete the operation.", None),
        ("I followed the steps to fix this error from the docs but nothing changed:\nAuthorization_RequestDenied: Insufficient privileges to complete the operation.", None),
        ("To fix the issue I added the role, but now the nightly job stops with:\nAuthorization_RequestDenied: Insufficient privileges to complete the operation.", None),
        ("To fix the issue I added the role, but the nightly job now stops with:\nAuthorization_RequestDenied: Insufficient privileges to complete the operation.", None),
        ("To resolve the error, I changed the app's role. Same result:\nAuthorization_RequestDenied: Insufficient privileges to complete the operation.", None),
        ("Calling the endpoint as the app, you will receive the following error response, and you will receive the same error when reading the calendar:\nErrorAccessDenied: Access is denied. Check credentials and try again.", Some(Genre::WriteUp)),
        ("I fixed it by adding the role last week. Today it is back:\nAuthorization_RequestDenied: Insufficient privileges to complete the operation.", None),
        ("## Admin account (AADSTS50076)\nfails every morning\n## Service account (AADSTS50079)\nfails too\n## Guest account (AADSTS50020)\nfails since Monday", None),
        ("Add the missing error codes as below:\n| AADSTS50173 | FreshTokenNeeded |", Some(Genre::Change)),
        // A tip for the team: an error in quotes and what to do when you see it; a tip the
        // writer followed that did not help is a report.
        ("Heads-up team: if you see \"The provided grant has expired due to it being revoked\", just sign out and back in.", Some(Genre::WriteUp)),
        ("if you get 'Insufficient access rights to perform the operation' try the Organization Management group first", Some(Genre::WriteUp)),
        ("The guide says if you see \"AADSTS50173\", sign in again. I did and still get:\nAADSTS50173: The provided grant has expired due to it being revoked", None),
        ("if you get a chance, check this error for me: AADSTS50173: The provided grant has expired", None),
        ("I see, thanks. The docs say if you see \"AADSTS50173\", just sign in again.", Some(Genre::WriteUp)),
        // A list with typographic bullets; labelled parts as list items, in Japanese too.
        ("You get one of these messages:\n  • AADSTS65001: The user has not consented\n  • AADSTS650056: Misconfigured application\n  • AADSTS90094: An administrator has set a policy", Some(Genre::ListOfErrors)),
        ("よくあるエラー\n- エラー文\nAADSTS50020: User account does not exist in tenant\n- 原因\n別アカウントでログインしています。\n- 対処法\nサインアウトします。", Some(Genre::WriteUp)),
        ("Graph sign-in\n- Cause: the secret was rotated\n- Fix: create a new secret\nAADSTS7000215: Invalid client secret provided.", Some(Genre::WriteUp)),
        // An explainer: what the error is, in the third person; a writer's own "this error
        // occurs when I …" is a report.
        ("AADSTS65001: The user or administrator has not consented to use the application\n\nThis error occurs when the application requests permissions that need consent.", Some(Genre::WriteUp)),
        ("AADSTS65001: The user or administrator has not consented to use the application\n\nThis error occurs when I open the app from Teams.", None),
        ("When reviewing the service logs, the following error is observed:\nError AADSTS50105: The signed in user is not assigned to a role for the application.", Some(Genre::WriteUp)),
        ("After pasting the URL into the browser, the following error is returned:\nMessage: AADSTS7000112: Application is disabled.", None),
        ("When I reviewed the service logs, the following error was shown:\nError AADSTS50105: The signed in user is not assigned to a role for the application.", None),
        ("Reset passwords with Graph\nA common error encountered is \"Insufficient privileges.\"\n{\"error\": {\"code\": \"Authorization_RequestDenied\"}}", Some(Genre::WriteUp)),
        ("Troubleshooting: Need Admin Approval\nWhy are you getting this message when trying to log in?", Some(Genre::WriteUp)),
        // A change described in its body; a request for a missing code's description.
        ("This code adds exception handling around the sign-in to show the error like so:\n```\nAADSTS50076: Due to a configuration change made by your administrator\n```", Some(Genre::Change)),
        ("Not seeing any information regarding the error message: **AADSTS230109** ;\n> Backup Auth Service only allows AuthN requests from AAD Gateway", Some(Genre::DocsReport)),
        ("Not seeing any improvement: AADSTS50173: The provided grant has expired due to it being revoked", None),
        ("Please add details for AADSTS76026 to the error code reference page, so that developers who build on the platform can tell what the message means and what to change in their requests. AADSTS76026: The request has expired.", Some(Genre::DocsReport)),
        // Four different sign-in codes in one text are a list of them, however laid out.
        ("bool needsSignIn(String code) => [AADSTS50076, AADSTS50079, AADSTS50158, AADSTS700082].any(code.contains);", Some(Genre::ListOfErrors)),
        // A vendor's article: the error, then its root cause and solution as labels.
        ("During synchronization this message appears:\nAADSTS7000222: The provided client secret keys are expired.\n\nRoot Cause:\nThe secret expired.\n\nSolution:\nCreate a new secret.", Some(Genre::WriteUp)),
        // Source code holding error strings.
        ("protected override async Task OnFailureAsync(HttpResponseMessage response)\n{\n    var body = await response.Content.ReadAsStringAsync();\n    var code = JsonNode.Parse(body)[\"error\"][\"code\"].GetValue<string>();\n    if (code == \"ErrorAccessDenied\" && response.StatusCode == HttpStatusCode.Forbidden)\n    {\n        await MarkFolderUnreadableAsync();\n    }\n}", Some(Genre::SourceCode)),
        ("// errors we retry on\nconst RETRY = [\n  \"AADSTS50076\",\n  \"AADSTS50079\",\n];\nif (err.code === RETRY[0]) {\n  return signIn();\n}", Some(Genre::SourceCode)),
        ("switch -Regex ($msg) {\n    '*AADSTS50076*' { Write-Warning 'MFA needed' }\n    default { throw }\n}\n# end of the retry block\nreturn $null;", Some(Genre::SourceCode)),
        // A PowerShell `switch` translating messages: arms in either quote (an apostrophe
        // inside a double-quoted pattern), a dotted exception type as the pattern.
        ("    # map what the service says to what the user reads\n    switch -Wildcard ($message) {\n        'Access is denied.' { 'Grant the role first' }\n        \"The tenant isn't licensed for this feature\" { 'Buy a P1 licence' }\n        '*Microsoft.Exchange.Management.Tasks.ManagementObjectNotFoundException*' { 'No such mailbox' }\n        '*Insufficient access rights*' { 'Add the Exchange role' }\n        default { $message }\n    }", Some(Genre::SourceCode)),
        // What a command would do, told to others (a change's description).
        ("if the login does not have the Graph permission, the command will result in error like:\n\nOperation failed with status: 'Forbidden'. Details: 403 Client Error: Forbidden for url: https://graph.windows.net/x/getObjectsByObjectIds\n\nthe login needs the permission.", Some(Genre::WriteUp)),
        ("Since the upgrade every run results in an error like this one:\n403 Client Error: Forbidden for url: https://graph.windows.net/x/getObjectsByObjectIds", None),
        ("Following the steps as written will get you this error:\n    AADSTS700054: response_type 'id_token' is not enabled for the application.\n\nAdd the missing step to the page.", Some(Genre::WriteUp)),
        ("Following the steps as written I get this error:\n    AADSTS700054: response_type 'id_token' is not enabled for the application.", None),
        // A list of HTTP errors, each with its cause.
        ("Provisioning errors and what to check\n1) Bad Request (400) Property userPrincipalName is invalid\nThe account id is not in a form the service takes.\n2) Forbidden (403) Insufficient privileges to complete the operation\nThe case of the account id differs.\n3) Not Found (404) Resource does not exist\nThe account was deleted.", Some(Genre::ListOfErrors)),
        ("Creating the user fails:\n1) Forbidden (403) Insufficient privileges to complete the operation\nWhat am I missing?", None),
        // A report that goes on to give its own fix is solved; a fix that goes on to fail is not.
        ("I receive the following error:\n* AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type\n\nSolution was to use the overload that takes the secret as a string.", Some(Genre::WriteUp)),
        ("The solution was to grant admin consent again.\nBut I still get AADSTS65001: The user or administrator has not consented to use the application", None),
        ("I get AADSTS65001: The user or administrator has not consented to use the application\nI got it working by granting admin consent in the portal.", Some(Genre::WriteUp)),
        ("I get AADSTS65001: The user or administrator has not consented to use the application\nI got it working by granting admin consent.\nNow I get it again for a second user.", None),
        ("Signing in I receive the following error:\nConnect-AzAccount: AADSTS50097: Device authentication is required.\n\n## Steps to reproduce\n- Run Connect-AzAccount\n- You will see the error in the console.", None),
        // A fix the writer cannot apply, asked about, is no solved report.
        ("I get AADSTS65001 when users sign in.\nThe solution would be to grant admin consent, but I'm not a global admin.\nWhat else can I do?", None),
        ("Sign-in fails with AADSTS50076.\n## Testing\nI get the same error in Graph Explorer.", None),
        // Three failures a user lists, each on a path, are no list of explained errors.
        ("Graph gives me these:\n- 401 Unauthorized on /me\n- 403 Forbidden on /users\n- 429 Too Many Requests on /$batch", None),
        // A pull request's template: what was tested, what changed.
        ("## Description\n\nAzure login failed:\n```\nError: AADSTS50027: JWT token is invalid or malformed.\n```\n\nAdding the missing permission to the workflow.\n\n## Testing\n\nScheduled run.", Some(Genre::Change)),
        ("## Description\nSign-in fails:\n```\nAADSTS50076: Due to a configuration change made by your administrator\n```\n## Steps to reproduce\n1. Run the sync\n## Expected behavior\nIt signs in.", None),
        // Branches written with their braces on lines of their own.
        ("        try\n        {\n            Connect-MgGraph -Scopes $scopes\n        }\n        catch\n        {\n            if ($_.Exception -like '*AADSTS50076: Due to a configuration change*')\n            {\n                Connect-WithMfa\n            }\n            elseif ($_.Exception -like '*AADSTS65001:*')\n            {\n                throw \"Grant consent first\"\n            }\n        }", Some(Genre::SourceCode)),
        // A pasted JSON body is no code, however many brackets it closes.
        ("Graph answers:\n{\n  \"error\": {\n    \"code\": \"Authorization_RequestDenied\",\n    \"message\": \"Insufficient privileges to complete the operation.\",\n    \"innerError\": {\n      \"date\": \"2024-05-01T10:00:00\",\n      \"request-id\": \"0000\"\n    }\n  }\n}", None),
        // A banner of asterisks around a logged error is no block comment.
        ("***\n*** Sync\n*** An exception occurred:\n*** {\"error\":\"invalid_grant\",\"error_description\":\"AADSTS700082: The refresh token has expired due to inactivity.\"}\n***", None),
        ("/**\n * Retries on 'AADSTS50076'.\n * @param err the error\n */\nfunction retry(err) {", Some(Genre::SourceCode)),
        // A test's mock that throws an error's message; a recorded exchange a test replays.
        ("it('reports a refused grant', async () => {\n  sinon.stub(graph, 'post').rejects({ error: { message: 'Insufficient privileges to complete the operation.' } });\n  await assert.rejects(run(), /Insufficient privileges/);\n});", Some(Genre::SourceCode)),
        ("    request:\n      method: POST\n      url: https://login.microsoftonline.com/common/oauth2/v2.0/token\n    response:\n      status: 400 Bad Request\n      body: '{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50173: The provided grant has expired due to it being revoked.\"}'", Some(Genre::SourceCode)),
        // A user's own capture of the exchange is no recording a test replays.
        ("Captured in Fiddler:\nPOST https://login.microsoftonline.com/common/oauth2/v2.0/token HTTP/1.1\nHost: login.microsoftonline.com\n\nHTTP/1.1 400 Bad Request\n{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50173: The provided grant has expired due to it being revoked.\"}", None),
        // The writer's own words quoting the error beside their code are no error string
        // of the code's.
        ("I get 'Access is denied. Check credentials and try again.' on this call:\n    var req = client.Me.Request();\n    var items = await req.GetAsync();\n    return items;\n    // Calendars.ReadWrite is granted", None),
        // Tests in JavaScript: arrow functions and awaits.
        ("await step('connect fails', async () => {\n  await userEvent.click(button)\n  await screen.findByRole('alert')\n  await waitFor(() => {\n    expect(canvas.getByText(/AADSTS70008/)).toBeInTheDocument()\n  })\n  errorCode: 'expired_token',\n  errorMessage: 'AADSTS70020: The provided device code has expired.',\n})", Some(Genre::SourceCode)),
        // An error object as Node's console prints it, and a hash as Perl dumps it, are
        // pasted errors, not code.
        ("ServerError: invalid_grant: AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.\n    at ResponseHandler.validateTokenResponse\n  errorCode: 'invalid_grant',\n  errorMessage: 'AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.',\n  subError: '',\n  timestamp: '2024-01-01 10:00:00Z',\n  traceId: '0000',\n  correlationId: '0000'\n}", None),
        ("$VAR1 = {\n  'error' => 'invalid_grant',\n  'error_codes' => [70008],\n  'error_description' => 'AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.',\n  'timestamp' => '2024-01-01 10:00:00Z',\n};", None),
        // Tests holding an error as a fixture: Pester's `It … {` and `Should`.
        ("Describe \"Connect-Tenant\" {\n    It \"maps the MFA error to a hint\" {\n        $hint = Get-SignInHint -Message $mfaError\n        # the hint names the policy and keeps the code\n        $hint | Should -Match \"Conditional Access\"\n        $hint | Should -Match 'AADSTS50076'\n    }\n}", Some(Genre::SourceCode)),
        ("token, err := cred.GetToken(ctx, opts)\nif err != nil {\n    if strings.Contains(err.Error(), \"AADSTS700082\") {\n        return reauth(ctx)\n    }\n    return err\n}", Some(Genre::SourceCode)),
        // A test case, however its strings break into lines.
        ("test('maps a revoked grant to a sign-in prompt', async () => {\n  const err = new AuthError(\n    'invalid_grant',\n    'AADSTS50173: The provided grant has expired due to it being revoked.\nTrace ID: 0000\nCorrelation ID: 1111\nTimestamp: 2026-01-01 00:00:00Z'\n  );\n  render(<Login />);", Some(Genre::SourceCode)),
        // A diff's added lines hold the change's text, not an error the writer hit; the error
        // beside a diff, outside it, is theirs.
        ("Add a troubleshooting section\n\n```diff\n+## Expired secrets\n+If sign-in fails with `AADSTS7000222: The provided client secret keys are expired`, create a new secret.\n```", Some(Genre::Change)),
        ("docs: reword the consent hint\n@@ -10,3 +10,3 @@\n-AADSTS65001: The user or administrator has not consented to use the application\n+Ask an admin to consent (AADSTS65001).\n context line", Some(Genre::Change)),
        // A change's title after its area's tag; an issue's title after one reports a failure.
        ("[Identity] Support claims challenges for revoked sessions\n\n## Testing Guide\n\nRevoke the sessions, then call again:\n\n```\nAADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed.\n```", Some(Genre::Change)),
        ("[Bug] Add guest user fails after the password reset\n\n```\nAADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed.\n```", None),
        // Added lines pasted without their header: the hunk opens the text.
        ("+## Sign-in problems\n+Students who see \"AADSTS50105: Your administrator has configured the application to block users\" should ask the help desk to add them to the group.\n+", Some(Genre::Change)),
        // A reply's `+1`, then the error the writer hit, is no diff.
        ("+1 here, since this morning:\nAADSTS50105: Your administrator has configured the application to block users unless they are specifically granted access", None),
        ("I changed the scopes like this:\n```diff\n- scopes: ['User.Read']\n+ scopes: ['User.Read', 'Mail.Send']\n```\nand now the call fails with\nAADSTS65001: The user or administrator has not consented to use the application", None),
        // A script the writer ran, pasted with the error it brought, is no source code.
        ("Here is my script:\n$tenantId = \"contoso.onmicrosoft.com\"\n$clientId = \"1111\"\n$secret = Get-Secret -Name app -AsPlainText\n$token = Get-MsalToken -ClientId $clientId -TenantId $tenantId -ClientSecret $secret\nIt fails with \"AADSTS7000215: Invalid client secret provided.\"", None),
        // Markdown's `* ` bullets at the margin are a list, not a block comment.
        ("Steps I took:\n* Set `Mail.Send` on the app\n* Ran Send-MgUserMail\n* Got 'access_denied'\n* Retried after an hour;\nAccess is denied. Check credentials and try again.", None),
        // A guide the writer followed is cited, not written.
        ("Hi,\nI followed all steps mentioned in this guide but I am getting the following error:\nAADSTS65001: The user or administrator has not consented to use the application", None),
        ("# Microsoft Graph error codes and fixes\n\n403 Forbidden: grant the permission.", Some(Genre::WriteUp)),
        // A change proposed in the body.
        ("Some calls fail with AADSTS50076 when the tenant needs MFA.\n\nThis PR adds the tenant to the re-authentication hint.", Some(Genre::Change)),
        ("Users see AADSTS65001 as a raw error.\nWe should detect it and show a consent link instead.", Some(Genre::Change)),
        ("The tool prints nothing useful for AADSTS50053 yet.\nWould be nice to show 'account locked' for it.", Some(Genre::Change)),
        ("Our wrapper doesn't handle the error code AADSTS50158, it just exits.", Some(Genre::Change)),
        ("The login helper could use a catch for accounts locked by smart lockout.\n\nif ($err -match \"AADSTS50053\") { Write-Output 'locked' }", Some(Genre::Change)),
        ("Sometimes the sign-in answers AADSTS50057 for a disabled user and the tool keeps retrying.\n\nIdea:\n- stop retrying on that code and print the user", Some(Genre::Change)),
        ("Please add support for AADSTS50076 in the device-code fallback.", Some(Genre::Change)),
        // What a change avoids is not a failure its title reports; a failure besides it is.
        ("Adds a tenant option, which the sign-in needs or it will throw AADSTS90002: Tenant not found.", Some(Genre::Change)),
        ("Added the scope, otherwise it would fail with AADSTS65001: The user or administrator has not consented", Some(Genre::Change)),
        ("Added the scope and it still fails with AADSTS65001: The user or administrator has not consented", None),
        ("Added the scope or it will throw, and now it fails with AADSTS65001: The user or administrator has not consented", None),
        ("Added the redirect URI otherwise it would fail but sign-in still stops here:\nAADSTS65001: The user or administrator has not consented", None),
        ("fix: pass the tenant, or it'll fail with AADSTS90002: Tenant not found", Some(Genre::Change)),
        ("**Expired grants loop forever**\nWhen the token endpoint answers invalid_grant (the refresh token has been revoked) the sync retries with the same token. Suggest detecting invalid_grant and clearing the stored token.", Some(Genre::Change)),
        ("# Merge @someone support for AADSTS50076 prompts", Some(Genre::Change)),
        ("mail/auth: keep the account after access errors on one mailbox\n\n- treat a denied mailbox as non-terminal", Some(Genre::Change)),
        ("sync: retry fails with AADSTS700082 after the upgrade", None),
        // Labels opening a line are not commit areas.
        ("Note: Make sure the app has consent.\nAADSTS65001: The user or administrator has not consented to use the application", None),
        ("Message: Make sure the app is assigned.\nAADSTS50105: Your administrator has configured the application to block users", None),
        // A user's issue template: "The error" and "Troubleshooting steps" are not a write-up.
        ("## The error\nAADSTS700082: The refresh token has expired due to inactivity.\n\n## Troubleshooting steps\n- signed out and in again", None),
        ("In the catch block we log the following:\nAADSTS700082: The refresh token has expired due to inactivity.", None),
        ("When the cached account is gone we output something like\n\nAADSTS50173: The provided grant has expired due to it being revoked.\n\nCan we say which account to sign in again?", Some(Genre::Change)),
        ("### Problem statement\nOnboarding stops with AADSTS700016 for tenants on the second app.\n\n### Benefits for MSPs\n- One instance for every licence model", Some(Genre::Change)),
        ("The client assertion error AADSTS700024 shows up when clocks drift.\n\nWould be good to add a troubleshooting section for it to the certificate page.", Some(Genre::Change)),
        ("The checker didn't handle the unknown code AADSTS90033 from the token endpoint, it fell through to the generic branch.", Some(Genre::Change)),
        ("Tokens from the device flow expire after an hour.\n\n### Motivation\nLong jobs fail with AADSTS700082.\n\n### Alternatives considered\nNone.", Some(Genre::Change)),
        // A feature request that carries the error as it came is someone's error.
        ("### Describe this feature\nRefresh the token.\n\n### Describe the solution you'd like\nRetry.\n\n### Additional information\n{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token has expired or is not yet valid.\"}}", None),
        ("Some users cannot sign in.\n\nAn app receives the following error when it asks for a token:\nAADSTS7000215: Invalid client secret provided.", Some(Genre::WriteUp)),
        // An admin reporting for their users reports; a symptom a write-up names does not.
        ("Our users can't sign in since this morning.\n\nAn app receives the following error when it asks for a token:\nAADSTS7000215: Invalid client secret provided.", None),
        ("Errors come back in the OAuth shape.\n\nHere's a sample error response:\n{\"error\": \"invalid_grant\", \"error_description\": \"AADSTS50173: The provided grant has expired\"}", Some(Genre::WriteUp)),
        // A guide or an error guide, in the languages its readers read; a guide someone
        // followed is cited, not written.
        ("AADSTS50105 in Teams, explained\nThis guide walks you through assigning users to the app.", Some(Genre::WriteUp)),
        ("L'errore AADSTS65001 blocca l'accesso all'app.\nQuesta guida ti aiuterà a risolverlo in pochi passaggi.", Some(Genre::WriteUp)),
        ("Entra ID Error Guide: AADSTS50158 External Security Challenge\nAADSTS50158 means a third-party MFA provider was not satisfied.", Some(Genre::WriteUp)),
        ("Exchange Online: Error 'Insufficient access rights' – Meaning & Solutions\nThe error means the admin lacks a role.", Some(Genre::WriteUp)),
        ("I followed this guide to register the app and now sign-in fails:\nAADSTS50011: The redirect URI specified in the request does not match", None),
        ("Ho seguito questa guida e ora l'accesso non riesce:\nAADSTS50011: The redirect URI specified in the request does not match", None),
        ("What's the cause and fix for AADSTS50011? It started today.", None),
        // Japanese help pages: question and answer as labels, a solution heading in brackets,
        // an explanation of what the error is caused by.
        ("お問い合わせ内容\nサインイン時に AADSTS50076 が表示されます。\n回答\n多要素認証を完了してください。", Some(Genre::WriteUp)),
        ("【原因】\nロールが足りません。\n【解決策:2つの確認ポイント】\n1. ユーザーにロールを割り当てる\n2. 管理者の同意を与える", Some(Genre::WriteUp)),
        ("「Need admin approval」エラーは、管理者の同意がないことが原因です。", Some(Genre::WriteUp)),
        ("「Need admin approval」が表示されます。これが原因ですか？", None),
        // Chinese answer pages: the cause and the solution as headings, or named together
        // in a title; a report that does not know its cause is not one.
        ("创建应用时报Insufficient privileges错误\n问题原因\n服务主体没有目录角色。\n对应报错信息:\nAuthorization_RequestDenied: Insufficient privileges to complete the operation.\n解决方案\n分配应用程序管理员角色。", Some(Genre::WriteUp)),
        ("调用Graph创建团队仍报Forbidden错误\n问题原因及解决方案\n委派权限下必须显式指定所有者。", Some(Genre::WriteUp)),
        ("调用Graph创建团队报Forbidden错误，原因不明，请帮忙看看\n{\"error\":{\"code\":\"Forbidden\",\"message\":\"Forbidden\"}}", None),
        // Headings with a symbol before the label; a resolution guide in Japanese.
        ("## 🔴 Symptom\nAADSTS50011 on sign-in.\n## ✅ Solution\nAdd the redirect URI.", Some(Genre::WriteUp)),
        ("## ⚠️ Cause\nThe redirect URI differs.\n## 🛠️ Solution\nAdd it to the app.", Some(Genre::WriteUp)),
        ("AADSTS50011 解決ガイド\nリダイレクト URI が一致しない場合の対処です。", Some(Genre::WriteUp)),
        // What happens otherwise, written for others.
        ("The service account needs Group.ReadWrite.All, otherwise it will error with:\nAuthorization_RequestDenied: Insufficient privileges to complete the operation.", Some(Genre::WriteUp)),
        ("I gave it Group.ReadWrite.All and otherwise nothing. It errors with:\nAuthorization_RequestDenied: Insufficient privileges to complete the operation.", None),
        ("I reconnect every hour, otherwise it will fail with AADSTS700082: The refresh token has expired due to inactivity.", None),
        // What to set to prevent an error, written for others; the error met is not.
        ("Single-tenant apps must set the tenant id here in order to prevent the following error:\nAADSTS50194: Application is not configured as a multi-tenant application.", Some(Genre::WriteUp)),
        ("I set the tenant id to prevent it, and still get the following error:\nAADSTS50194: Application is not configured as a multi-tenant application.", None),
        ("How can I configure the app to avoid this error?\nAADSTS50194: Application is not configured as a multi-tenant application.", None),
        // A write-up's headings: what happened and why, in English and Chinese.
        ("Nightly deploy broke\n\nSymptom: the job fails with AADSTS7000222: The provided client secret keys for app are expired.\n\nWhy it happened\nThe connection's secret ran out after a year.\n\nFix\nCreate a new secret.", Some(Genre::WriteUp)),
        ("Why it happened to us, I can't say. Every run now ends with AADSTS7000222: The provided client secret keys for app are expired.", None),
        ("调用Graph时报AADSTS65001\n\n问题根因\n第二个API的权限没有被同意。\n\n解决方案\n登录时一并申请所有scope。", Some(Genre::WriteUp)),
        // A fix the writer shares; one they ask about, or followed and still fail, is not.
        ("got an `AADSTS700025: Client is public so neither 'client_assertion' nor 'client_secret' should be presented.` error. this was my solution", Some(Genre::WriteUp)),
        ("AADSTS50020: User account from identity provider does not exist in tenant\n\nThe solution would be to use an account of the tenant.", Some(Genre::WriteUp)),
        ("So the fix is to re-consent?\nAADSTS65001: The user or administrator has not consented", None),
        ("They told me the fix is to grant admin consent. I did and I still get:\nAADSTS65001: The user or administrator has not consented", None),
        ("Here is the workaround I found online, it doesn't help:\nAADSTS50076: Due to a configuration change made by your administrator", None),
        // A write-up that states the root cause it found; a root cause still sought is not.
        ("Adding an account fails with AADSTS65006.\n\nRoot cause is the app registration's API permissions, not our code.", Some(Genre::WriteUp)),
        ("Adding an account fails with AADSTS65006. The root cause is unknown to me, any idea?", None),
        ("I think the root cause is the CA policy, how do I fix it?\nAADSTS53003: Access has been blocked by Conditional Access policies.", None),
        // A request to update the docs.
        ("Can you please update the document with the permission this needs?\n{\"error\": {\"code\": \"Authorization_RequestDenied\"}}", Some(Genre::DocsReport)),
        // A release note's item says what was fixed.
        ("Mail connector 2.4\n\n- Fixed an issue where moving items failed with an access denied error.", Some(Genre::Change)),
        ("I fixed an issue where the secret was wrong, now I get:\nAADSTS7000215: Invalid client secret provided.", None),
        ("Moving items still fails for me with access denied:\nErrorAccessDenied: Access is denied. Check credentials and try again.", None),
        // Articles: a how-to title, an 'Applies to' line, plain section headings.
        ("How to resolve AADSTS50173 in Outlook\n\nThe grant was revoked after a password change.", Some(Genre::WriteUp)),
        ("Teams sign-in errors\n\nApplies to: Teams desktop and web\n\nAADSTS50020: User account from identity provider does not exist in tenant", Some(Genre::WriteUp)),
        ("AADSTS50105 explained\n\nWhat this error means\nThe user is not assigned to the app.\n\nStep-by-step fix\n1. Assign the user.", Some(Genre::WriteUp)),
        ("Key Vault access from the pipeline\n\nSymptom\nThe job fails with AADSTS7000215.\n\nPossible Causes\n- The secret was rotated.\n\nDiagnosis Steps\n1. Compare the secret ids.", Some(Genre::WriteUp)),
        ("[solved] Graph export fails with AADSTS50173 after a password reset\nSign in again to get a new refresh token.", Some(Genre::WriteUp)),
        ("## Documentation request\n\nThe setup page does not say that Mail.Send must be an application permission; as delegated it returns 403 Forbidden.", Some(Genre::DocsReport)),
        // People replace values with placeholders of their own when they paste: no sign of
        // documentation.
        ("Sign-in fails:\nAADSTS50020: User account 'https://sts.windows.net/{GUID1}/' does not exist in tenant '{Tenant}'", None),
        // Pasted errors and reports of them are not.
        ("Hi. I'm following this article to set up SSO for the tab and when I upload the app I get AADSTS65001: The user or administrator has not consented to use the application.", None),
        // A stack trace or a pretty JSON body is not source code.
        ("{\n  \"error\": {\n    \"code\": \"Authorization_RequestDenied\",\n    \"message\": \"Insufficient privileges to complete the operation.\"\n  }\n}", None),
        ("Unhandled exception. Microsoft.Identity.Client.MsalUiRequiredException: AADSTS50076: Due to a configuration change\n   at Microsoft.Identity.Client.Internal.Requests.RequestBase.RunAsync()\n   at Program.Main()", None),
        ("Rotated the client secret and now:\nAADSTS7000215: Invalid client secret provided.", None),
        ("AADSTS90014: The required field 'scope' is missing from the credential.", None),
        ("AADSTS50076: Due to a configuration change\nAADSTS50079: The user is required to enrol\nAADSTS50158: External security challenge was not satisfied", None),
        ("Add-MailboxPermission : Insufficient access rights to perform the operation.", None),
        ("Update user password results in Authorization_RequestDenied", None),
        ("Handling ERROR: {\"code\":\"Request_BadRequest\",\"message\":\"Invalid value\"}", None),
        ("Fix needed: since Monday every sign-in fails with AADSTS50076", None),
        ("Update: still getting AADSTS50076 after the reset", None),
        ("Support needed, Get-MgUser gives error: Insufficient privileges", None),
        ("fix: tried reauthorizing but AADSTS700082 didn't go away", None),
        ("AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.", None),
        ("Tried the fix from the docs, still get AADSTS50173: The provided grant has expired", None),
        // A script's braces and a JSON body are no placeholders; a how-to asked is no article.
        ("Get-MgUser -All | ForEach-Object { $_.Id }\nGet-MgUser : Insufficient privileges to complete the operation.", None),
        ("{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token has expired.\"}}", None),
        ("How do I fix this? AADSTS700082: The refresh token has expired due to inactivity.", None),
        ("Error\nAADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.", None),
        ("It would be nice to get past this: AADSTS50076 every morning", None),
        // A bug report's template headings are a report of someone's error.
        ("### Describe the bug\nSign-in fails.\n\n### Steps to reproduce\n1. Connect-MgGraph\n\n### Error\nAADSTS50076: Due to a configuration change made by your administrator", None),
        ("My app receives the following error since Monday:\nAADSTS7000215: Invalid client secret provided.", None),
    ];
    for (text, want) in cases {
        assert_eq!(genre(text), *want, "{text}");
        assert_eq!(
            read(text).only_mentions(),
            want.is_some() || read(text).only_mentions(),
            "{text}"
        );
    }
}

#[test]
fn wrapped_messages_are_read() {
    let said = messages("Error: Could not create policy: ConditionalAccessPoliciesClient.BaseClient.Post(): unexpected status 400 with OData error: BadRequest: 1039: Cannot create policies with premium features.");
    assert_eq!(
        said,
        ["1039: Cannot create policies with premium features."]
    );
    // A terminal wrapped the message mid-sentence: it goes on to the next line.
    let said = messages("unexpected status 403 with OData error: Authorization_RequestDenied: Insufficient privileges to complete\n      > the operation.\n");
    assert_eq!(
        said,
        ["Insufficient privileges to complete\n      > the operation."]
    );
    // Terraform wraps with a box-drawing bar.
    let said = messages("│ unexpected status 403 with OData\n│ error: Authorization_RequestDenied: Insufficient privileges to complete the\n│ operation.\n");
    assert_eq!(
        said,
        ["Insufficient privileges to complete the\n│ operation."]
    );
    // A message cut without a period is not joined to the stack frame under it.
    let said = messages("Microsoft.Graph.ServiceException: Code: Authorization_RequestDenied Timestamp: 2024-01-02T03:04:05Z\n   at Microsoft.Graph.UserItemRequestBuilder.PatchAsync()");
    assert_eq!(
        said,
        ["Code: Authorization_RequestDenied Timestamp: 2024-01-02T03:04:05Z"]
    );
    // A whole sentence ends the message; the stack frame under it is not part of it.
    let said = messages(
        "System.InvalidOperationException: The token has expired.\n   at Contoso.Sync.Run()",
    );
    assert_eq!(said, ["The token has expired."]);
    // A line that ends mid-sentence before one that starts a new thought in capitals.
    let said = messages("Message: Access to the mailbox was denied for\nUser: ana@contoso.com");
    assert_eq!(said, ["Access to the mailbox was denied for"]);
}

#[test]
fn http_headers_are_not_cmdlet_errors() {
    let said = messages("Content-Type: application/json\nUser-Agent: Mozilla/5.0 PowerShell/7.0.2\nSet-Mailbox : Insufficient access rights to perform the operation.");
    assert_eq!(
        said,
        ["Insufficient access rights to perform the operation."]
    );
}

#[test]
fn a_status_alone_is_no_message() {
    let said = messages("Update-IntuneManagedDevice : 400 Bad Request\n{\"error\": {\"code\": \"No method match route template\", \"message\": \"No OData route exists that match template ~/singleton\"}}");
    assert_eq!(
        said,
        ["No OData route exists that match template ~/singleton"]
    );
    assert!(messages("Get-MgUser : (403) Forbidden.").is_empty());
    assert!(
        messages("Invoke-RestMethod : The remote server returned an error: (403) Forbidden.")
            .is_empty()
    );
    assert!(messages(
        "Exception: Response status code does not indicate success: 403 (Forbidden)."
    )
    .is_empty());
    assert!(messages("AxiosError: Request failed with status code 403").is_empty());
    assert_eq!(
        messages("Get-MgUser : 403 Forbidden: Insufficient privileges to complete the operation."),
        ["403 Forbidden: Insufficient privileges to complete the operation."]
    );
}

#[test]
fn a_refusal_in_its_own_words_is_read() {
    for m in [
        "You do not have permission to perform this operation.",
        "The caller doesn’t have the required permissions for this resource.",
        "This operation can only be performed by an administrator.",
        "Access to invalidate refresh tokens operation is denied.",
        "Applications without a signed-in user are not allowed access to this report.",
        "The account lacks the required role.",
    ] {
        assert!(super::refuses(m), "{m}");
    }
    // Another cause, however it is worded.
    for m in [
        "Application is not allowed to perform operations on the user, neither is allowed access through RSC permission evaluation.",
        "Not allowed to access Non IPM folder.",
        "You do not have access to create this personal site or you do not have a valid license.",
        "The activation request was denied by an approver.",
        "Request not allowed while enrolment is paused for this tenant.",
        "The user is not authorized to sign in with a personal account.",
        "Resource not found for the segment 'policies'.",
        "Permissions were granted yesterday but the call still fails.",
    ] {
        assert!(!super::refuses(m), "{m}");
    }
}

#[test]
fn an_address_or_a_path_is_no_message() {
    // Where the request went, not what went wrong: the body's message is the one.
    assert_eq!(
        messages(concat!(
            "Exception: GET https://graph.microsoft.com/v1.0/groups/9f0c/members?$top=999\n",
            r#"{"error":{"code":"Forbidden","message":"Caller lacks the role for this group"}}"#,
        )),
        ["Caller lacks the role for this group"]
    );
    assert!(messages(
        "Exception: Request to https://graph.microsoft.com/beta/deviceManagement/deviceCompliancePolicies('4d1e') failed with"
    )
    .is_empty());
    assert!(messages("Exception: D:\\scripts\\Export-Tenant\\Invoke-Export.ps1:118").is_empty());
    assert!(messages(r#"{"message": "<!DOCTYPE html PUBLIC W3C XHTML 1.0"}"#).is_empty());
    // An address inside a sentence leaves the sentence a message.
    for m in [
        "Cannot get site https://contoso.sharepoint.com/sites/hr.",
        "Invalid audience: https://graph.microsoft.com",
        "File not found: C:\\certs\\app.pfx",
    ] {
        assert_eq!(messages(&format!("Exception: {m}")), [m]);
    }
    assert_eq!(
        messages(
            "Exception: The resource https://contoso.sharepoint.com/sites/hr could not be found."
        ),
        ["The resource https://contoso.sharepoint.com/sites/hr could not be found."]
    );
}

#[test]
fn a_template_on_a_line_of_code_is_no_message() {
    let said = messages(concat!(
        "HTTPError: 400 Client Error: Bad Request for url: https://graph.microsoft.com/v1.0None | Error Message: Invalid version.\n",
        "  File \"connection.py\", line 795, in _internal_request\n",
        "    raise HTTPError('{} | Error Message: {}'.format(e.args[0], error_message), response=response) from None\n",
    ));
    assert_eq!(said, ["Invalid version."]);
    // The template's line, left unended, would run on into the next line and take its message.
    let said = messages(concat!(
        "    raise HTTPError('{} | Error Message: {}'.format(e.args[0], error_message), response=response) from None\n",
        "requests.exceptions.HTTPError: 400 Client Error: Bad Request for url: https://graph.microsoft.com/v1.0/me | Error Message: Invalid value for $top query option.\n",
    ));
    assert_eq!(said, ["Invalid value for $top query option."]);
    assert!(
        messages("    log.error(\"Graph call failed. Message: %s (status %d)\", msg, status)")
            .is_empty()
    );
    assert!(
        messages("  throw new Exception($\"Request failed. Message: {0} at {1}\");").is_empty()
    );
    // Braces in a body or a wrapper's dump are no template.
    assert_eq!(
        messages("Error: unexpected status 400 with error: Request_BadRequest: Invalid object identifier 'groups'. [{{} object_id}]}]"),
        ["Invalid object identifier 'groups'. [{{} object_id}]}]"]
    );
    assert_eq!(
        messages("errorCode=Authorization_RequestDenied errorMessage=This operation can only be performed by an administrator. \"Data\":{},\"HResult\":-2146233088"),
        ["This operation can only be performed by an administrator. \"Data\":{},\"HResult\":-2146233088"]
    );
}

#[test]
fn every_group_of_the_message_pattern_is_a_named_message() {
    let named = MESSAGE.capture_names().flatten().count();
    assert_eq!(
        MESSAGE.captures_len(),
        named + 1,
        "an unnamed group in MESSAGE"
    );
}

#[test]
fn messages_of_bodies_inside_strings_are_read() {
    let said = messages(
        r#"autorest/azure: Service returned an error. Status=403 Code=\"Unknown\" Message=\"Unknown service error\" Details=[{\"odata.error\":{}}]"#,
    );
    assert_eq!(said, ["Unknown service error"]);
    let said = messages(
        r#"{"errors":["Status=403 Details=[{\"odata.error\":{\"code\":\"Authorization_RequestDenied\",\"message\":{\"lang\":\"en\",\"value\":\"The backing application must be in the local tenant\"}}}]"]}"#,
    );
    assert!(
        said.iter()
            .any(|m| m == "The backing application must be in the local tenant"),
        "{said:?}"
    );
    let said = messages(
        r#"log: "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50173: The provided grant has expired due to it being revoked.\\r\\nTrace ID: 0\"}""#,
    );
    assert!(
        said.iter()
            .any(|m| m == "AADSTS50173: The provided grant has expired due to it being revoked."),
        "{said:?}"
    );
}

#[test]
fn messages_in_log_fields_and_error_details_are_read() {
    let said = messages("push failed: httpStatusCode=400 errorCode=Request_BadRequest errorMessage=\"Unable to update the specified properties for synced objects.\" request-id=<id>");
    assert_eq!(
        said,
        ["Unable to update the specified properties for synced objects."]
    );
    let said = messages("error_message: The user account is disabled by policy");
    assert_eq!(said, ["The user account is disabled by policy"]);
    let said = messages("Unable to connect to the tenant. Error detail: Insufficient privileges to complete the operation.\n   at Contoso.Connect()");
    assert_eq!(said, ["Insufficient privileges to complete the operation."]);
    let said = messages(
        r#"{"errorCode": "Forbidden", "errorMessage": "The caller is not authorized for this tenant."}"#,
    );
    assert_eq!(said, ["The caller is not authorized for this tenant."]);
    let said = messages("Error Details: Insufficient privileges to complete the operation.");
    assert_eq!(said, ["Insufficient privileges to complete the operation."]);
    // A word that only ends in "message" is no field of one, and an assignment in code is
    // no log.
    assert!(messages("sendErrorMessage=true in the settings").is_empty());
    assert!(
        messages(r#"    errorMessage = "Could not load the data for this account";"#).is_empty()
    );
    // .NET's default text names the exception's type only: no message of the error.
    assert!(messages("Error detail: Exception of type 'Microsoft.Graph.Models.ODataErrors.ODataError' was thrown.").is_empty());
}

#[test]
fn a_word_error_in_prose_is_not_a_log_level() {
    assert!(!read("error-prone setups are common here").carries);
    assert!(read("2024-05-02 10:11:12 ERROR - sync stopped").carries);
}
