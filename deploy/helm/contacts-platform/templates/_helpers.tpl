{{/* Names, labels and each service's merged settings. */}}

{{- define "contacts.fullname" -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* <release>-<service>: the name of a service's Deployment, Service, ConfigMap, ... */}}
{{- define "contacts.name" -}}
{{- printf "%s-%s" (include "contacts.fullname" .root) .service -}}
{{- end -}}

{{- define "contacts.selectorLabels" -}}
app.kubernetes.io/name: {{ .service }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "contacts.migrationLabels" -}}
app.kubernetes.io/name: {{ .service }}-migrate
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: migrations
{{- end -}}

{{- define "contacts.labels" -}}
{{ include "contacts.selectorLabels" . }}
app.kubernetes.io/part-of: contacts-platform
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{/* The wiring of each service, fixed by the code: its port, whether it uses Kafka, which
providers it sends through, which services it calls (the JWKS of the directory; the web app
calls all four). */}}
{{- define "contacts.topology" -}}
directory: {port: 8001, kafka: true, providers: [sms, smtp], calls: []}
contacts: {port: 8002, kafka: true, providers: [], calls: [directory]}
importer: {port: 8003, kafka: true, providers: [], calls: [directory]}
invitations: {port: 8004, kafka: true, providers: [sms, smtp], calls: [directory]}
web: {port: 8000, kafka: false, providers: [], calls: [directory, contacts, importer, invitations]}
{{- end -}}

{{- define "contacts.wiring" -}}
{{- index (include "contacts.topology" . | fromYaml) .service | toYaml -}}
{{- end -}}

{{/* The services enabled, in a fixed order. */}}
{{- define "contacts.enabled" -}}
{{- range $name := list "directory" "contacts" "importer" "invitations" "web" -}}
{{- if (index $.Values.services $name).enabled }}
- {{ $name }}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "contacts.image" -}}
{{- $svc := index .root.Values.services .service -}}
{{- $repository := $svc.image.repository | default (printf "%s/%s" .root.Values.image.registry .service) -}}
{{- $tag := $svc.image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- printf "%s:%s" $repository $tag -}}
{{- end -}}

{{/* A service's database: postgres.* overridden by services.<name>.database.*. */}}
{{- define "contacts.database" -}}
{{- $svc := index .root.Values.services .service -}}
{{- $db := mergeOverwrite (deepCopy .root.Values.postgres) ($svc.database | default dict) -}}
{{- if $db.url -}}{{- $_ := set $db "secretName" (printf "%s-database" (include "contacts.name" .)) -}}{{- $_ := set $db "key" "url" -}}
{{- else if $db.existingSecret -}}{{- $_ := set $db "secretName" $db.existingSecret -}}
{{- else if $db.cnpgCluster -}}{{- $_ := set $db "secretName" (printf "%s-app" $db.cnpgCluster) -}}{{- $_ := set $db "key" "uri" -}}
{{- else -}}{{- fail (printf "services.%s.database: set postgres.cnpgCluster, existingSecret or url" .service) -}}
{{- end -}}
{{- if and $db.cnpgCluster (not $db.url) (not $db.existingSecret) (not $db.caSecret.name) -}}
{{- $_ := set $db "caSecret" (dict "name" (printf "%s-ca" $db.cnpgCluster) "key" "ca.crt") -}}
{{- end -}}
{{- $_ := set $db "fromCnpg" (and $db.cnpgCluster (not $db.url) (not $db.existingSecret)) -}}
{{- toYaml $db -}}
{{- end -}}

{{/* A service's Kafka user: {username, passwordSecret}. */}}
{{- define "contacts.kafkaUser" -}}
{{- $sasl := .root.Values.kafka.sasl -}}
{{- $own := (index .root.Values.services .service).kafkaUser | default dict -}}
{{- $default := include "contacts.name" . -}}
{{- $username := $own.username | default $sasl.username | default $default -}}
{{- $secret := dig "passwordSecret" "name" "" $own | default $sasl.passwordSecret.name | default $default -}}
{{- $key := dig "passwordSecret" "key" "" $own | default $sasl.passwordSecret.key -}}
username: {{ $username }}
passwordSecret: {name: {{ $secret }}, key: {{ $key }}}
{{- end -}}

{{- define "contacts.usesSasl" -}}
{{- if hasPrefix "SASL_" .Values.kafka.securityProtocol }}true{{ end -}}
{{- end -}}

{{- define "contacts.usesTls" -}}
{{- if has .Values.kafka.securityProtocol (list "SSL" "SASL_SSL") }}true{{ end -}}
{{- end -}}
