{{/* What a service's pods share (the Deployment's and the migration Job's). */}}

{{/* DATABASE_URL from its Secret; a CloudNativePG URL gets sslmode and the mounted CA
appended ($(CNPG_APP_URI) is Kubernetes' expansion of the variable defined before it). */}}
{{- define "contacts.databaseEnv" -}}
{{- $db := include "contacts.database" . | fromYaml -}}
{{- if $db.fromCnpg -}}
- name: CNPG_APP_URI
  valueFrom: {secretKeyRef: {name: {{ $db.secretName }}, key: {{ $db.key }}}}
- name: DATABASE_URL
  value: "$(CNPG_APP_URI)?sslmode={{ $db.sslmode }}&sslrootcert=/etc/contacts/postgres-ca/ca.crt"
{{- else -}}
- name: DATABASE_URL
  valueFrom: {secretKeyRef: {name: {{ $db.secretName }}, key: {{ $db.key }}}}
{{- end -}}
{{- end -}}

{{- define "contacts.kafkaEnv" -}}
{{- $wiring := include "contacts.wiring" . | fromYaml -}}
{{- if and $wiring.kafka (include "contacts.usesSasl" .root) -}}
{{- $user := include "contacts.kafkaUser" . | fromYaml }}
- name: KAFKA_SASL_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ $user.passwordSecret.name }}, key: {{ $user.passwordSecret.key }}}}
{{- end -}}
{{- end -}}

{{/* The CA of Postgres and Kafka (and Kafka's client certificate), each mounted read-only. */}}
{{- define "contacts.certVolumes" -}}
{{- $db := include "contacts.database" . | fromYaml -}}
{{- $kafka := .root.Values.kafka -}}
{{- $wiring := include "contacts.wiring" . | fromYaml -}}
{{- if $db.caSecret.name }}
- name: postgres-ca
  secret: {secretName: {{ $db.caSecret.name }}, items: [{key: {{ $db.caSecret.key }}, path: ca.crt}]}
{{- end }}
{{- if and $wiring.kafka (include "contacts.usesTls" .root) $kafka.tls.caSecret.name }}
- name: kafka-ca
  secret: {secretName: {{ $kafka.tls.caSecret.name }}, items: [{key: {{ $kafka.tls.caSecret.key }}, path: ca.crt}]}
{{- end }}
{{- if and $wiring.kafka (include "contacts.usesTls" .root) $kafka.tls.clientCertSecret.name }}
- name: kafka-client
  secret:
    secretName: {{ $kafka.tls.clientCertSecret.name }}
    items: [{key: {{ $kafka.tls.clientCertSecret.certKey }}, path: tls.crt}, {key: {{ $kafka.tls.clientCertSecret.keyKey }}, path: tls.key}]
{{- end }}
{{- end -}}

{{- define "contacts.certMounts" -}}
{{- range $volume := include "contacts.certVolumes" . | fromYamlArray }}
- {name: {{ $volume.name }}, mountPath: /etc/contacts/{{ $volume.name }}, readOnly: true}
{{- end }}
{{- end -}}

{{- define "contacts.containerSecurity" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities: {drop: [ALL]}
seccompProfile: {type: RuntimeDefault}
{{- end -}}
