// French strings of the hosted phone-factor page (same StringIds as en.ts). Non-breaking spaces
// before ":" and units follow French typography.
import type { StringId } from './en.ts';

export const fr: Record<StringId, string> = {
  // ---- B2C api.phonefactor StringIds ----
  heading: 'Vérifiez votre numéro de téléphone',
  button_verify: 'Appelez-moi',
  button_send_code: 'Envoyer le code',
  button_verify_code: 'Vérifier le code',
  button_retry: 'Réessayer',
  button_cancel: 'Annuler',
  text_button_send_second_code: 'recevoir un nouveau code',
  enter_code_text_intro: 'Saisissez ci-dessous votre code de vérification, ou',
  alternative_text: 'Je n’ai pas mon téléphone',
  country_code_label: 'Indicatif du pays',
  country_code_input_placeholder_text: 'Pays ou région',
  countryList: '{"DEFAULT":"Pays/Région"}',
  number_label: 'Numéro de téléphone',
  local_number_input_placeholder_text: 'Numéro de téléphone',
  number_pattern: '^\\+(?:[0-9][\\x20-]?){6,14}[0-9]$',
  invalid_number: 'Saisissez un numéro de téléphone valide',
  requiredField_number: 'Saisissez votre numéro de téléphone',
  requiredField_countryCode: 'Sélectionnez l’indicatif de votre pays',
  verification_code_input_placeholder_text: 'Code de vérification',
  code_pattern: '\\d{{length}}',
  invalid_code: 'Saisissez le code à {length} chiffres que vous avez reçu',
  requiredField_code: 'Saisissez le code de vérification que vous avez reçu',
  error_incorrect_code:
    'Le code de vérification saisi ne correspond pas à nos informations. Réessayez ou demandez un nouveau code.',
  error_tryagain: 'Le numéro de téléphone indiqué est occupé ou indisponible. Vérifiez-le et réessayez.',
  error_448: 'Le numéro de téléphone indiqué est injoignable.',
  error_449: 'Le nombre maximal de tentatives a été dépassé.',
  error_sms_throttled: 'Vous avez atteint la limite d’envoi de SMS. Réessayez dans quelques instants.',
  error_phone_throttled: 'Vous avez atteint la limite d’appels. Réessayez dans quelques instants.',
  error_throttled: 'Vous avez atteint la limite de tentatives de vérification. Réessayez dans quelques instants.',
  cancel_message: 'L’utilisateur a annulé l’authentification multifacteur',
  intro_sms:
    'Voici le numéro que nous avons enregistré pour vous. Nous allons vous envoyer un code par SMS pour vous authentifier.',
  intro_phone: 'Voici le numéro que nous avons enregistré pour vous. Nous allons vous appeler pour vous authentifier.',
  intro_mixed:
    'Voici le numéro que nous avons enregistré pour vous. Nous pouvons vous envoyer un code par SMS ou vous appeler pour vous authentifier.',
  intro_sms_p:
    'Voici les numéros que nous avons enregistrés pour vous. Choisissez celui auquel nous enverrons un code par SMS pour vous authentifier.',
  intro_phone_p:
    'Voici les numéros que nous avons enregistrés pour vous. Choisissez celui auquel nous vous appellerons pour vous authentifier.',
  intro_mixed_p:
    'Voici les numéros que nous avons enregistrés pour vous. Choisissez celui auquel nous enverrons un code par SMS ou vous appellerons pour vous authentifier.',
  intro_entry_sms: 'Saisissez ci-dessous un numéro auquel nous pourrons envoyer un code par SMS pour vous authentifier.',
  intro_entry_phone: 'Saisissez ci-dessous un numéro auquel nous pourrons vous appeler pour vous authentifier.',
  intro_entry_mixed:
    'Saisissez ci-dessous un numéro auquel nous pourrons envoyer un code par SMS ou vous appeler pour vous authentifier.',

  // ---- Tollgate additions ----
  error_number_type: 'Ce numéro ne peut pas recevoir de code (numéro surtaxé, satellite, récepteur d’appel…). Utilisez un numéro de mobile.',
  error_bad_reputation: 'Nous ne pouvons pas envoyer de code à ce numéro. Utilisez un autre numéro.',
  error_channel_disabled: 'Cette méthode n’est pas disponible pour ce numéro pour le moment. Essayez l’autre option.',
  error_captcha: 'Effectuez la vérification ci-dessous, puis réessayez.',
  error_paused: 'Nous ne pouvons pas envoyer de code à ce numéro pour le moment. Réessayez plus tard ou utilisez une autre méthode.',
  error_location: 'La vérification n’est pas disponible depuis votre emplacement actuel.',
  error_country_not_allowed:
    'Les numéros de ce pays ou de cette région ne sont pas acceptés ici. Utilisez un autre numéro.',
  error_code_expired: 'Ce code a expiré. Demandez un nouveau code.',
  error_session_expired: 'Cette vérification a expiré. Revenez à l’application et recommencez.',
  error_session_not_found: 'Ce lien de vérification n’est pas valide ou a déjà été utilisé.',
  error_session_completed: 'Cette vérification est déjà terminée.',
  error_no_code_sent: 'Aucun code n’a encore été envoyé. Demandez d’abord un code.',
  error_invalid_request: 'Un élément du formulaire est incorrect. Vérifiez-le et réessayez.',
  error_csrf: 'Ce formulaire a expiré ou n’a pas été envoyé depuis cette page. Rechargez la page et réessayez.',
  text_code_sent_sms: 'Nous avons envoyé un code au {number}.',
  text_code_sent_voice: 'Nous appelons le {number} pour vous dicter un code.',
  text_attempts_left: 'Tentatives restantes\u00a0: {count}',
  text_resend_in: 'Vous pourrez demander un nouveau code dans {seconds}\u00a0s.',
  text_verified: 'Votre numéro de téléphone est vérifié.',
  text_failed: 'Nous n’avons pas pu vérifier votre numéro de téléphone.',
  text_cancelled: 'Vous avez annulé la vérification du téléphone.',
  text_for_app: '{app} vous demande de confirmer un numéro de téléphone.',
  text_number_hint: 'Choisissez votre pays, puis saisissez votre numéro sans l’indicatif.',
  text_code_hint: 'Le code comporte {length}\u00a0chiffres.',
  text_sending: 'Envoi en cours…',
  label_choose_number: 'Choisissez un numéro',
  label_new_number: 'Ou utilisez un autre numéro',
  label_channel: 'Comment pouvons-nous vous joindre\u00a0?',
  button_continue: 'Continuer',
  button_reload: 'Recharger la page',
  skip_to_content: 'Aller au contenu',
  page_title: 'Vérification du téléphone',
};
